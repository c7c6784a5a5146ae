const { app } = require('@azure/functions');

app.http('GetOrder', {
  methods: ['GET'],
  authLevel: 'function',
  route: 'orders/{id}',
  handler: async (request) => ({ status: 200, jsonBody: { id: request.params.id, status: 'received' } }),
});
