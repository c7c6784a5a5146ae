module.exports = async function (context, input) {
  context.log('ResizeImage', input);
};
