module.exports = async function (context, input) {
  context.log('ClickStream', input);
};
