module.exports = async function (context, input) {
  context.log('IngestReadings', input);
};
