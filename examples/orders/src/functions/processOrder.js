const { app, output } = require('@azure/functions');

const shipment = output.storageQueue({ queueName: 'shipments', connection: '' });

app.storageQueue('ProcessOrder', {
  queueName: 'orders',
  connection: '',
  extraOutputs: [shipment],
  handler: async (order, context) => {
    context.log(`processing order ${order.id}`);
    context.extraOutputs.set(shipment, { orderId: order.id });
  },
});
