module.exports = async function (context, input) {
  context.log('AuditEvents', input);
};
