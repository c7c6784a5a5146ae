module.exports = async function (context, req) {
  context.res = { status: 200, body: { id: req.params.id, status: 'received' } };
};
