module.exports = async function (context, order) {
  context.log(`processing order ${order.id}`);
  context.bindings.shipment = { orderId: order.id };
};
