module.exports = async function (context, input) {
  context.log('NightlyRollup', input);
};
