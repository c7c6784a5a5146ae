import type { PyValue } from './literal.js';

/**
 * The decorators of azure-functions 1.x's FunctionApp and Blueprint (decorators/function_app.py: TriggerApi,
 * BindingApi, SettingsApi) and of azure-functions-durable's DFApp (decorators/durable_app.py), as tables: each
 * decorator's parameters in their order, and the binding it adds. Every decorator here hands its parameters to its
 * binding class under the same names (the first one as `name`), converting the enum-typed ones with
 * `parse_singular_param_to_enum`; the class keeps them as attributes, which `get_dict_repr` camel-cases.
 */

export interface Param {
  readonly name: string;
  readonly required: boolean;
  /** The enum the library parses it into; 'methods' (a list of HttpMethod), 'BlobSource' (kept by value), 'ignore'. */
  readonly conversion?: string;
  readonly fallback: PyValue;
}

export interface DecoratorSpec {
  readonly kind: 'trigger' | 'input' | 'output' | 'route' | 'functionName' | 'setting';
  /** The binding's type; undefined for the generic ones, whose `type` argument gives it. */
  readonly type?: string;
  readonly params: readonly Param[];
  /** Whether it takes **kwargs, which become keys of the binding as they are. */
  readonly kwargs: boolean;
  /** A Durable Functions decorator: on a plain FunctionApp it starts the function's builder anew. */
  readonly durable?: boolean;
}

/** `'arg_name! queue_name! data_type:DataType lag_threshold=1000'`: required (!), converted (:Enum), defaulted (=). */
function params(list: string): Param[] {
  return list.split(' ').map((token) => {
    const [head = '', fallback] = token.split('=');
    const [name = '', conversion] = head.replace('!', '').split(':');
    return { name, required: head.includes('!'), conversion, fallback: literal(fallback) };
  });
}

function literal(text: string | undefined): PyValue {
  if (text === undefined) return null;
  if (text === 'True' || text === 'False') return text === 'True';
  return /^\d+$/.test(text) ? Number(text) : text;
}

const spec = (kind: DecoratorSpec['kind'], type: string | undefined, list: string, kwargs = true): DecoratorSpec => ({
  kind,
  type,
  params: params(list),
  kwargs,
});
const durable = (type: string, list: string): DecoratorSpec => ({
  ...spec('trigger', type, list, false),
  durable: true,
});

const DATA = 'data_type:DataType';
const SERVICE_BUS_TRIGGER = `${DATA} access_rights:AccessRights is_sessions_enabled cardinality:Cardinality auto_complete_messages`;
const KAFKA_CLIENT =
  'avro_schema key_avro_schema key_data_type:KafkaMessageKeyType=STRING username password ssl_key_location ' +
  'ssl_ca_location ssl_certificate_location ssl_key_password ssl_certificate_pem ssl_key_pem ssl_ca_pem ' +
  'ssl_certificate_and_key_pem schema_registry_url schema_registry_username schema_registry_password ' +
  'o_auth_bearer_method:OAuthBearerMethod o_auth_bearer_client_id o_auth_bearer_client_secret o_auth_bearer_scope ' +
  'o_auth_bearer_token_endpoint_url o_auth_bearer_extensions';
const SQL_INPUT = `arg_name! command_text! connection_string_setting! command_type=Text parameters ${DATA}`;
const SQL_OUTPUT = `arg_name! command_text! connection_string_setting! ${DATA}`;
const SQL_TRIGGER = `arg_name! table_name! connection_string_setting! leases_table_name ${DATA}`;

const TRIGGERS: Readonly<Record<string, DecoratorSpec>> = {
  timer_trigger: spec('trigger', 'timerTrigger', `arg_name! schedule! run_on_startup use_monitor ${DATA}`),
  warm_up_trigger: spec('trigger', 'warmupTrigger', `arg_name! ${DATA}`),
  service_bus_queue_trigger: spec(
    'trigger',
    'serviceBusTrigger',
    `arg_name! connection! queue_name! ${SERVICE_BUS_TRIGGER}`,
  ),
  service_bus_topic_trigger: spec(
    'trigger',
    'serviceBusTrigger',
    `arg_name! connection! topic_name! subscription_name! ${SERVICE_BUS_TRIGGER}`,
  ),
  queue_trigger: spec('trigger', 'queueTrigger', `arg_name! queue_name! connection! ${DATA}`),
  event_hub_message_trigger: spec(
    'trigger',
    'eventHubTrigger',
    `arg_name! connection! event_hub_name! ${DATA} cardinality:Cardinality consumer_group`,
  ),
  cosmos_db_trigger_v3: spec(
    'trigger',
    'cosmosDBTrigger',
    'arg_name! database_name! collection_name! connection_string_setting! lease_collection_name ' +
      'lease_connection_string_setting lease_database_name create_lease_collection_if_not_exists ' +
      'leases_collection_throughput lease_collection_prefix checkpoint_interval checkpoint_document_count ' +
      'feed_poll_delay lease_renew_interval lease_acquire_interval lease_expiration_interval ' +
      `max_items_per_invocation start_from_beginning preferred_locations ${DATA}`,
  ),
  cosmos_db_trigger: spec(
    'trigger',
    'cosmosDBTrigger',
    'arg_name! connection! database_name! container_name! lease_connection lease_database_name ' +
      'lease_container_name create_lease_container_if_not_exists leases_container_throughput lease_container_prefix ' +
      'feed_poll_delay lease_acquire_interval lease_expiration_interval lease_renew_interval ' +
      `max_items_per_invocation start_from_beginning start_from_time preferred_locations ${DATA}`,
  ),
  blob_trigger: spec('trigger', 'blobTrigger', `arg_name! path! connection! source:BlobSource ${DATA}`),
  event_grid_trigger: spec('trigger', 'eventGridTrigger', `arg_name! ${DATA}`),
  kafka_trigger: spec(
    'trigger',
    'kafkaTrigger',
    `arg_name! topic! broker_list! event_hub_connection_string consumer_group ${KAFKA_CLIENT} ` +
      'authentication_mode:BrokerAuthenticationMode=NotSet protocol:BrokerProtocol=NotSet ' +
      `cardinality:Cardinality=One lag_threshold=1000 ${DATA}`,
  ),
  sql_trigger: spec('trigger', 'sqlTrigger', SQL_TRIGGER),
  mysql_trigger: spec('trigger', 'mysqlTrigger', SQL_TRIGGER),
  generic_trigger: spec('trigger', undefined, `arg_name! type! ${DATA}`),
  connector_trigger: spec('trigger', 'connectorTrigger', `arg_name! ${DATA}`),
  orchestration_trigger: durable('orchestrationTrigger', 'context_name! orchestration input_type:ignore'),
  activity_trigger: durable('activityTrigger', 'input_name! activity'),
  entity_trigger: durable('entityTrigger', 'context_name! entity_name'),
};

const BINDINGS: Readonly<Record<string, DecoratorSpec>> = {
  durable_client_input: {
    ...spec('input', 'durableClient', 'client_name! task_hub connection_name', false),
    durable: true,
  },
  cosmos_db_input_v3: spec(
    'input',
    'cosmosDB',
    `arg_name! database_name! collection_name! connection_string_setting! id sql_query partition_key ${DATA}`,
  ),
  cosmos_db_input: spec(
    'input',
    'cosmosDB',
    `arg_name! connection! database_name! container_name! partition_key id sql_query preferred_locations ${DATA}`,
  ),
  blob_input: spec('input', 'blob', `arg_name! path! connection! ${DATA}`),
  table_input: spec(
    'input',
    'table',
    `arg_name! connection! table_name! row_key partition_key take filter ${DATA}`,
    false,
  ),
  sql_input: spec('input', 'sql', SQL_INPUT),
  mysql_input: spec('input', 'mysql', SQL_INPUT),
  generic_input_binding: spec('input', undefined, `arg_name! type! ${DATA}`),
  service_bus_queue_output: spec(
    'output',
    'serviceBus',
    `arg_name! connection! queue_name! ${DATA} access_rights:AccessRights`,
  ),
  service_bus_topic_output: spec(
    'output',
    'serviceBus',
    `arg_name! connection! topic_name! subscription_name ${DATA} access_rights:AccessRights`,
  ),
  queue_output: spec('output', 'queue', `arg_name! queue_name! connection! ${DATA}`),
  event_hub_output: spec('output', 'eventHub', `arg_name! connection! event_hub_name! ${DATA}`),
  cosmos_db_output_v3: spec(
    'output',
    'cosmosDB',
    'arg_name! database_name! collection_name! connection_string_setting! create_if_not_exists partition_key ' +
      `collection_throughput use_multiple_write_locations preferred_locations ${DATA}`,
  ),
  cosmos_db_output: spec(
    'output',
    'cosmosDB',
    'arg_name! connection! database_name! container_name! create_if_not_exists partition_key container_throughput ' +
      `preferred_locations ${DATA}`,
  ),
  blob_output: spec('output', 'blob', `arg_name! path! connection! ${DATA}`),
  event_grid_output: spec('output', 'eventGrid', `arg_name! topic_endpoint_uri topic_key_setting connection ${DATA}`),
  kafka_output: spec(
    'output',
    'kafka',
    `arg_name! topic! broker_list! ${KAFKA_CLIENT} max_message_bytes=1000000 batch_size=10000 ` +
      'enable_idempotence=False message_timeout_ms=300000 request_timeout_ms=5000 max_retries=2147483647 ' +
      `authentication_mode:BrokerAuthenticationMode=NOTSET protocol:BrokerProtocol=NOTSET linger_ms=5 ${DATA}`,
  ),
  table_output: spec('output', 'table', `arg_name! connection! table_name! row_key partition_key ${DATA}`, false),
  sql_output: spec('output', 'sql', SQL_OUTPUT),
  mysql_output: spec('output', 'mysql', SQL_OUTPUT),
  generic_output_binding: spec('output', undefined, `arg_name! type! ${DATA}`),
};

const SETTINGS: Readonly<Record<string, DecoratorSpec>> = {
  route: spec(
    'route',
    'httpTrigger',
    'route trigger_arg_name=req binding_arg_name=$return methods:methods auth_level:AuthLevel ' +
      'trigger_extra_fields binding_extra_fields',
    false,
  ),
  function_name: spec('functionName', undefined, 'name! setting_extra_fields:ignore', false),
  // Settings that add no binding: their arguments are not read.
  retry: { kind: 'setting', params: [], kwargs: true },
  http_type: { kind: 'setting', params: [], kwargs: true },
};

/** The decorators the indexer reads, by method name (`schedule` is the library's alias of `timer_trigger`). */
export const DECORATORS: Readonly<Record<string, DecoratorSpec>> = {
  ...TRIGGERS,
  schedule: TRIGGERS.timer_trigger as DecoratorSpec,
  ...BINDINGS,
  ...SETTINGS,
};

/** The constructors' parameters: FunctionApp and DFApp, AsgiFunctionApp and WsgiFunctionApp. */
export const REGISTER_PARAMS = spec('setting', undefined, 'http_auth_level=FUNCTION', false);
export const EXTERNAL_HTTP_PARAMS = spec(
  'setting',
  undefined,
  'app!:ignore http_auth_level=FUNCTION function_name=http_app_func',
  false,
);

/** Decorators of the library whose bindings are built by logic of its own that this indexer does not redo. */
export const UNREAD = new Set([
  'mcp_tool_trigger',
  'mcp_tool',
  'mcp_tool_property',
  'mcp_resource_trigger',
  'mcp_prompt_trigger',
  'dapr_service_invocation_trigger',
  'dapr_binding_trigger',
  'dapr_topic_trigger',
  'assistant_skill_trigger',
  'dapr_state_input',
  'dapr_secret_input',
  'dapr_state_output',
  'dapr_invoke_output',
  'dapr_publish_output',
  'dapr_binding_output',
  'text_completion_input',
  'assistant_create_output',
  'assistant_query_input',
  'assistant_post_input',
  'embeddings_input',
  'semantic_search_input',
  'embeddings_store_output',
  'durable_openai_agent_orchestrator',
]);
