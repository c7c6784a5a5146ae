module.exports = async function (context, input) {
  context.log('ArchiveReports', input);
};
