/* schemas_openai_chat.c - components.schemas of the OpenAI-compatible routes
 * (chat completions, Responses, models), the chat widget API and the
 * channels (trigger_bot, incoming_message): docs/API.md §6, §9, §10. */
#include "api_schemas.h"

/* Each entry is OpenAPI 3.0 JSON Schema text, each property on its own lines; the
 * examples are bodies captured from a test stack
 * (tests/integration/schemas_openai_chat.test). $refs to ErrorDetail,
 * FieldErrors, OpenAIError, Message, Experiment, Team and Participant
 * name schemas of api_schemas_core (schemas_core.c). A $ref that may be
 * null is an anyOf of the $ref and a null-only schema: OpenAPI 3.0 ignores
 * "nullable" beside a $ref, and generated clients (openapi-typescript) then
 * type the property as never null. */
const struct api_schema api_schemas_openai_chat[] = {
	/* one message of a completion request (§6.1, §5 input side) */
	{"ChatCompletionRequestMessage",
	 "{\"type\": \"object\", \"additionalProperties\": true, \"required\": [\"role\", \"content\"]"
	 ", \"properties\": {"
	 "\"role\": {\"type\": \"string\", \"enum\": [\"system\", \"developer\", \"user\", \"assistant\"]}, "
	 "\"content\": {\"description\": \"text, "
	 "or text parts joined with single spaces; null or \\\"\\\" only on an assistant turn\", "
	 "\"oneOf\": [{\"type\": \"string\", \"maxLength\": 32768, \"nullable\": true}, {\"type\": \"array\", "
	 "\"items\": {\"$ref\": \"#/components/schemas/ChatCompletionRequestMessageContentPartText\"}}]}"
	 "}"
	 ", \"example\": {\"role\": \"user\", \"content\": \"When is the clinic open?\"}"
	 "}"},
	/* a text part of a message's content (the only kind accepted) */
	{"ChatCompletionRequestMessageContentPartText",
	 "{\"type\": \"object\", \"required\": [\"type\", \"text\"]"
	 ", \"properties\": {"
	 "\"type\": {\"type\": \"string\", \"enum\": [\"text\"]}, "
	 "\"text\": {\"type\": \"string\"}"
	 "}"
	 ", \"example\": {\"type\": \"text\", \"text\": \"When is\"}"
	 "}"},
	/* the body of POST .../chat/completions (§6.1); other OpenAI fields are accepted and ignored */
	{"CreateChatCompletionRequest",
	 "{\"type\": \"object\", \"additionalProperties\": true, \"required\": [\"messages\"]"
	 ", \"properties\": {"
	 "\"messages\": {\"type\": \"array\", \"maxItems\": 1000, \"minItems\": 1, "
	 "\"items\": {\"$ref\": \"#/components/schemas/ChatCompletionRequestMessage\"}, "
	 "\"description\": \"the last one is the user's turn; the earlier ones are the history\"}, "
	 "\"model\": {\"type\": \"string\", \"description\": \"ignored: the base URL chooses the version\"}, "
	 "\"stream\": {\"type\": \"boolean\", \"default\": false, "
	 "\"description\": \"true: text/event-stream of ChatCompletionStreamEvent\"}, "
	 "\"stream_options\": {\"type\": \"object\", \"nullable\": true, "
	 "\"properties\": {\"include_usage\": {\"type\": \"boolean\"}}}, "
	 "\"response_format\": {\"type\": \"object\", \"nullable\": true, \"required\": [\"type\"], "
	 "\"properties\": {\"type\": {\"type\": \"string\", \"enum\": [\"text\", \"json_object\", "
	 "\"json_schema\"]}, \"json_schema\": {\"type\": \"object\", \"required\": [\"name\"], "
	 "\"properties\": {\"name\": {\"type\": \"string\", \"pattern\": \"^[A-Za-z0-9_-]{1,64}$\"}, "
	 "\"schema\": {\"type\": \"object\", \"additionalProperties\": true}, "
	 "\"strict\": {\"type\": \"boolean\"}}}}}, "
	 "\"user\": {\"type\": \"string\", \"maxLength\": 320, \"nullable\": true, "
	 "\"description\": \"the participant's identifier (platform api)\"}"
	 "}"
	 ", \"example\": {\"model\": \"x\", \"messages\": [{\"role\": \"system\", "
	 "\"content\": \"Be brief.\"}, {\"role\": \"user\", \"content\": \"When is the clinic open?\"}]}"
	 "}"},
	/* the reply of a choice */
	{"ChatCompletionResponseMessage",
	 "{\"type\": \"object\", \"required\": [\"role\", \"content\"]"
	 ", \"properties\": {"
	 "\"role\": {\"type\": \"string\", \"enum\": [\"assistant\"]}, "
	 "\"content\": {\"type\": \"string\"}"
	 "}"
	 ", \"example\": {\"role\": \"assistant\", \"content\": \"echo: When is the clinic open?\"}"
	 "}"},
	/* the one choice of a completion */
	{"ChatCompletionResponseChoices",
	 "{\"type\": \"object\", \"required\": [\"index\", \"finish_reason\", \"message\"]"
	 ", \"properties\": {"
	 "\"index\": {\"type\": \"integer\"}, "
	 "\"finish_reason\": {\"type\": \"string\", \"description\": \"the provider's: stop, length, "
	 "content_filter, tool_calls, ...\"}, "
	 "\"message\": {\"$ref\": \"#/components/schemas/ChatCompletionResponseMessage\"}"
	 "}"
	 ", \"example\": {\"index\": 0, \"finish_reason\": \"stop\", \"message\": {\"role\": \"assistant\", "
	 "\"content\": \"echo: When is the clinic open?\"}}"
	 "}"},
	/* token counts of a completion, when the provider reported them */
	{"CompletionUsage",
	 "{\"type\": \"object\", \"required\": [\"prompt_tokens\", \"completion_tokens\", \"total_tokens\"]"
	 ", \"properties\": {"
	 "\"prompt_tokens\": {\"type\": \"integer\", \"minimum\": 0}, "
	 "\"completion_tokens\": {\"type\": \"integer\", \"minimum\": 0}, "
	 "\"total_tokens\": {\"type\": \"integer\", \"minimum\": 0}"
	 "}"
	 ", \"example\": {\"prompt_tokens\": 11, \"completion_tokens\": 6, \"total_tokens\": 17}"
	 "}"},
	/* the body of a completion (§6.3); id is the new session's id */
	{"CreateChatCompletionResponse",
	 "{\"x-event-stream\": \"ChatCompletionStreamEvent\", \"type\": \"object\", \"required\": [\"id\", \"object\", \"created\", \"model\", \"choices\"]"
	 ", \"properties\": {"
	 "\"id\": {\"type\": \"string\", \"format\": \"uuid\"}, "
	 "\"object\": {\"type\": \"string\", \"enum\": [\"chat.completion\"]}, "
	 "\"created\": {\"type\": \"integer\", \"description\": \"Unix seconds\"}, "
	 "\"model\": {\"type\": \"string\"}, "
	 "\"choices\": {\"type\": \"array\", \"minItems\": 1, \"maxItems\": 1, "
	 "\"items\": {\"$ref\": \"#/components/schemas/ChatCompletionResponseChoices\"}}, "
	 "\"usage\": {\"$ref\": \"#/components/schemas/CompletionUsage\"}"
	 "}"
	 ", \"example\": {\"id\": \"8abaac8e-f62d-436f-87c5-863df7399813\", "
	 "\"object\": \"chat.completion\", \"created\": 1796225172, \"model\": \"gpt-schema\", "
	 "\"choices\": [{\"index\": 0, \"finish_reason\": \"stop\", \"message\": {\"role\": \"assistant\", "
	 "\"content\": \"echo: When is the clinic open?\"}}], \"usage\": {\"prompt_tokens\": 11, "
	 "\"completion_tokens\": 6, \"total_tokens\": 17}}"
	 "}"},
	/* what a chunk adds to the reply */
	{"ChatCompletionChunkDelta",
	 "{\"type\": \"object\""
	 ", \"properties\": {"
	 "\"role\": {\"type\": \"string\", \"enum\": [\"assistant\"]}, "
	 "\"content\": {\"type\": \"string\"}"
	 "}"
	 ", \"example\": {\"role\": \"assistant\", \"content\": \"\"}"
	 "}"},
	/* the one choice of a chunk */
	{"ChatCompletionChunkChoice",
	 "{\"type\": \"object\", \"required\": [\"index\", \"delta\", \"finish_reason\"]"
	 ", \"properties\": {"
	 "\"index\": {\"type\": \"integer\"}, "
	 "\"delta\": {\"$ref\": \"#/components/schemas/ChatCompletionChunkDelta\"}, "
	 "\"finish_reason\": {\"type\": \"string\", \"nullable\": true}"
	 "}"
	 ", \"example\": {\"index\": 0, \"delta\": {\"content\": \"Stream \"}, \"finish_reason\": null}"
	 "}"},
	/* one data: event of a streamed completion (§6.3); the usage chunk has empty choices */
	{"ChatCompletionChunk",
	 "{\"type\": \"object\", \"required\": [\"id\", \"object\", \"created\", \"model\", \"choices\"]"
	 ", \"properties\": {"
	 "\"id\": {\"type\": \"string\", \"format\": \"uuid\"}, "
	 "\"object\": {\"type\": \"string\", \"enum\": [\"chat.completion.chunk\"]}, "
	 "\"created\": {\"type\": \"integer\"}, "
	 "\"model\": {\"type\": \"string\"}, "
	 "\"choices\": {\"type\": \"array\", \"maxItems\": 1, "
	 "\"items\": {\"$ref\": \"#/components/schemas/ChatCompletionChunkChoice\"}}, "
	 "\"usage\": {\"$ref\": \"#/components/schemas/CompletionUsage\"}"
	 "}"
	 ", \"example\": {\"id\": \"7896ea3f-bcba-40b2-8e21-3f37577220bf\", "
	 "\"object\": \"chat.completion.chunk\", \"created\": 1796225172, \"model\": \"gpt-schema\", "
	 "\"choices\": [{\"index\": 0, \"delta\": {\"content\": \"Stream \"}, \"finish_reason\": null}]}"
	 "}"},
	/* the last data: event of a stream that failed after it began (no detail: the status is gone) */
	{"ChatCompletionStreamError",
	 "{\"type\": \"object\", \"required\": [\"error\"]"
	 ", \"properties\": {"
	 "\"error\": {\"type\": \"object\", \"required\": [\"message\", \"type\", \"param\", \"code\"], "
	 "\"properties\": {\"message\": {\"type\": \"string\"}, \"type\": {\"type\": \"string\"}, "
	 "\"param\": {\"type\": \"string\", \"nullable\": true}, \"code\": {\"type\": \"integer\", "
	 "\"enum\": [500, 502, 504]}}}"
	 "}"
	 ", \"example\": {\"error\": {\"message\": \"The chatbot's LLM provider failed to answer.\", "
	 "\"type\": \"server_error\", \"param\": null, \"code\": 502}}"
	 "}"},
	/* the payload of each data: event of text/event-stream (before data: [DONE]) */
	{"ChatCompletionStreamEvent",
	 "{\"oneOf\": [{\"$ref\": \"#/components/schemas/ChatCompletionChunk\"}, "
	 "{\"$ref\": \"#/components/schemas/ChatCompletionStreamError\"}]"
	 ", \"example\": {\"id\": \"7896ea3f-bcba-40b2-8e21-3f37577220bf\", "
	 "\"object\": \"chat.completion.chunk\", \"created\": 1796225172, \"model\": \"gpt-schema\", "
	 "\"choices\": [{\"index\": 0, \"delta\": {\"content\": \"echo: \"}, \"finish_reason\": null}]}"
	 "}"},
	/* a chatbot version as an OpenAI model: <public id> (default) or <public id>:v<N> */
	{"Model",
	 "{\"type\": \"object\", \"required\": [\"id\", \"object\", \"created\", \"owned_by\"]"
	 ", \"properties\": {"
	 "\"id\": {\"type\": \"string\"}, "
	 "\"object\": {\"type\": \"string\", \"enum\": [\"model\"]}, "
	 "\"created\": {\"type\": \"integer\", \"description\": \"Unix seconds\"}, "
	 "\"owned_by\": {\"type\": \"string\", \"description\": \"the team's slug\"}"
	 "}"
	 ", \"example\": {\"id\": \"78f6ce3a-863e-4439-9fed-dd4d49258831\", \"object\": \"model\", "
	 "\"created\": 1796225172, \"owned_by\": \"demo\"}"
	 "}"},
	/* GET .../models: the default first, then the versions ascending */
	{"ModelList",
	 "{\"type\": \"object\", \"required\": [\"object\", \"data\"]"
	 ", \"properties\": {"
	 "\"object\": {\"type\": \"string\", \"enum\": [\"list\"]}, "
	 "\"data\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/components/schemas/Model\"}}"
	 "}"
	 ", \"example\": {\"object\": \"list\", "
	 "\"data\": [{\"id\": \"78f6ce3a-863e-4439-9fed-dd4d49258831\", \"object\": \"model\", "
	 "\"created\": 1796225172, \"owned_by\": \"demo\"}, "
	 "{\"id\": \"78f6ce3a-863e-4439-9fed-dd4d49258831:v1\", \"object\": \"model\", "
	 "\"created\": 1796225172, \"owned_by\": \"demo\"}]}"
	 "}"},
	/* a text part of an input item */
	{"ResponseInputText",
	 "{\"type\": \"object\", \"required\": [\"type\", \"text\"]"
	 ", \"properties\": {"
	 "\"type\": {\"type\": \"string\", \"enum\": [\"input_text\", \"output_text\"]}, "
	 "\"text\": {\"type\": \"string\"}"
	 "}"
	 ", \"example\": {\"type\": \"input_text\", \"text\": \"And after?\"}"
	 "}"},
	/* a message input item */
	{"ResponseInputMessage",
	 "{\"type\": \"object\", \"additionalProperties\": true, \"required\": [\"role\", \"content\"]"
	 ", \"properties\": {"
	 "\"type\": {\"type\": \"string\", \"enum\": [\"message\"]}, "
	 "\"role\": {\"type\": \"string\", \"enum\": [\"user\", \"assistant\", \"system\", \"developer\"]}, "
	 "\"content\": {\"oneOf\": [{\"type\": \"string\"}, {\"type\": \"array\", "
	 "\"items\": {\"$ref\": \"#/components/schemas/ResponseInputText\"}}]}"
	 "}"
	 ", \"example\": {\"role\": \"user\", \"content\": [{\"type\": \"input_text\", "
	 "\"text\": \"And after?\"}]}"
	 "}"},
	/* an earlier output item of the same session, standing for that reply */
	{"ResponseItemReference",
	 "{\"type\": \"object\", \"required\": [\"type\", \"id\"]"
	 ", \"properties\": {"
	 "\"type\": {\"type\": \"string\", \"enum\": [\"item_reference\"]}, "
	 "\"id\": {\"type\": \"string\", \"pattern\": \"^msg_[0-9a-f]{48}$\"}"
	 "}"
	 ", \"example\": {\"type\": \"item_reference\", "
	 "\"id\": \"msg_c0b7a18304a246bca6e65fd4bef7cfb60000000000000007\"}"
	 "}"},
	/* the body of POST .../responses; other OpenAI fields are accepted and ignored */
	{"CreateResponseRequest",
	 "{\"type\": \"object\", \"additionalProperties\": true, \"required\": [\"input\"]"
	 ", \"properties\": {"
	 "\"input\": {\"oneOf\": [{\"type\": \"string\", \"maxLength\": 32768}, {\"type\": \"array\", "
	 "\"minItems\": 1, \"maxItems\": 1000, "
	 "\"items\": {\"anyOf\": [{\"$ref\": \"#/components/schemas/ResponseInputMessage\"}, "
	 "{\"$ref\": \"#/components/schemas/ResponseItemReference\"}]}}], "
	 "\"description\": \"the user's message, or items whose last is the user's turn\"}, "
	 "\"instructions\": {\"type\": \"string\", \"nullable\": true}, "
	 "\"previous_response_id\": {\"type\": \"string\", \"nullable\": true}, "
	 "\"user\": {\"type\": \"string\", \"maxLength\": 320, \"nullable\": true}, "
	 "\"store\": {\"type\": \"boolean\", \"default\": true}, "
	 "\"stream\": {\"type\": \"boolean\", \"default\": false}, "
	 "\"model\": {\"type\": \"string\", \"description\": \"ignored: the base URL chooses the version\"}"
	 "}"
	 ", \"example\": {\"model\": \"x\", \"instructions\": \"Answer in one sentence.\", "
	 "\"input\": \"When is the next clinic day?\"}"
	 "}"},
	/* the text part of the reply */
	{"ResponseOutputText",
	 "{\"type\": \"object\", \"required\": [\"type\", \"text\", \"annotations\"]"
	 ", \"properties\": {"
	 "\"type\": {\"type\": \"string\", \"enum\": [\"output_text\"]}, "
	 "\"text\": {\"type\": \"string\"}, "
	 "\"annotations\": {\"type\": \"array\", \"maxItems\": 0, \"items\": {\"type\": \"object\", "
	 "\"additionalProperties\": true}}"
	 "}"
	 ", \"example\": {\"type\": \"output_text\", \"text\": \"echo: When is the next clinic day?\", "
	 "\"annotations\": []}"
	 "}"},
	/* the output item: the reply (id msg_ + 48 hex digits) */
	{"ResponseOutputMessage",
	 "{\"type\": \"object\", \"required\": [\"id\", \"type\", \"status\", \"role\", \"content\"]"
	 ", \"properties\": {"
	 "\"id\": {\"type\": \"string\", \"pattern\": \"^msg_[0-9a-f]{48}$\"}, "
	 "\"type\": {\"type\": \"string\", \"enum\": [\"message\"]}, "
	 "\"status\": {\"type\": \"string\", \"enum\": [\"in_progress\", \"completed\"]}, "
	 "\"role\": {\"type\": \"string\", \"enum\": [\"assistant\"]}, "
	 "\"content\": {\"type\": \"array\", \"maxItems\": 1, "
	 "\"items\": {\"$ref\": \"#/components/schemas/ResponseOutputText\"}}"
	 "}"
	 ", \"example\": {\"id\": \"msg_c0b7a18304a246bca6e65fd4bef7cfb60000000000000007\", "
	 "\"type\": \"message\", \"status\": \"completed\", \"role\": \"assistant\", "
	 "\"content\": [{\"type\": \"output_text\", \"text\": \"echo: When is the next clinic day?\", "
	 "\"annotations\": []}]}"
	 "}"},
	/* token counts of a response */
	{"ResponseUsage",
	 "{\"type\": \"object\", \"required\": [\"input_tokens\", \"input_tokens_details\", "
	 "\"output_tokens\", \"output_tokens_details\", \"total_tokens\"]"
	 ", \"properties\": {"
	 "\"input_tokens\": {\"type\": \"integer\", \"minimum\": 0}, "
	 "\"input_tokens_details\": {\"type\": \"object\", \"required\": [\"cached_tokens\"], "
	 "\"properties\": {\"cached_tokens\": {\"type\": \"integer\"}}}, "
	 "\"output_tokens\": {\"type\": \"integer\", \"minimum\": 0}, "
	 "\"output_tokens_details\": {\"type\": \"object\", \"required\": [\"reasoning_tokens\"], "
	 "\"properties\": {\"reasoning_tokens\": {\"type\": \"integer\"}}}, "
	 "\"total_tokens\": {\"type\": \"integer\", \"minimum\": 0}"
	 "}"
	 ", \"example\": {\"input_tokens\": 11, \"input_tokens_details\": {\"cached_tokens\": 0}, "
	 "\"output_tokens\": 7, \"output_tokens_details\": {\"reasoning_tokens\": 0}, \"total_tokens\": 18}"
	 "}"},
	/* why a streamed response failed */
	{"ResponseError",
	 "{\"type\": \"object\", \"required\": [\"code\", \"message\"]"
	 ", \"properties\": {"
	 "\"code\": {\"type\": \"string\", \"enum\": [\"server_error\"]}, "
	 "\"message\": {\"type\": \"string\"}"
	 "}"
	 ", \"example\": {\"code\": \"server_error\", "
	 "\"message\": \"The chatbot's LLM provider failed to answer.\"}"
	 "}"},
	/* a response (id resp_ + 48 hex digits: the session and the user message) */
	{"Response",
	 "{\"x-event-stream\": \"ResponseStreamEvent\", \"type\": \"object\", \"required\": [\"id\", \"object\", \"created_at\", \"status\", \"error\", "
	 "\"incomplete_details\", \"instructions\", \"model\", \"output\", \"parallel_tool_calls\", "
	 "\"previous_response_id\", \"store\", \"text\", \"tool_choice\", \"tools\", \"truncation\", "
	 "\"usage\", \"metadata\"]"
	 ", \"properties\": {"
	 "\"id\": {\"type\": \"string\", \"pattern\": \"^resp_[0-9a-f]{48}$\"}, "
	 "\"object\": {\"type\": \"string\", \"enum\": [\"response\"]}, "
	 "\"created_at\": {\"type\": \"integer\", \"description\": \"Unix seconds\"}, "
	 "\"status\": {\"type\": \"string\", \"enum\": [\"completed\", \"in_progress\", \"failed\"]}, "
	 "\"error\": {\"anyOf\": [{\"$ref\": \"#/components/schemas/ResponseError\"}, "
	 "{\"type\": \"object\", \"nullable\": true, \"enum\": [null]}]}, "
	 "\"incomplete_details\": {\"type\": \"object\", \"additionalProperties\": true, \"nullable\": true}, "
	 "\"instructions\": {\"type\": \"string\", \"nullable\": true}, "
	 "\"model\": {\"type\": \"string\"}, "
	 "\"output\": {\"type\": \"array\", \"maxItems\": 1, "
	 "\"items\": {\"$ref\": \"#/components/schemas/ResponseOutputMessage\"}}, "
	 "\"parallel_tool_calls\": {\"type\": \"boolean\"}, "
	 "\"previous_response_id\": {\"type\": \"string\", \"nullable\": true}, "
	 "\"store\": {\"type\": \"boolean\"}, "
	 "\"text\": {\"type\": \"object\", \"required\": [\"format\"], "
	 "\"properties\": {\"format\": {\"type\": \"object\", \"required\": [\"type\"], "
	 "\"properties\": {\"type\": {\"type\": \"string\", \"enum\": [\"text\"]}}}}}, "
	 "\"tool_choice\": {\"type\": \"string\", \"enum\": [\"none\"]}, "
	 "\"tools\": {\"type\": \"array\", \"maxItems\": 0, \"items\": {\"type\": \"object\", "
	 "\"additionalProperties\": true}}, "
	 "\"truncation\": {\"type\": \"string\", \"enum\": [\"disabled\"]}, "
	 "\"usage\": {\"anyOf\": [{\"$ref\": \"#/components/schemas/ResponseUsage\"}, "
	 "{\"type\": \"object\", \"nullable\": true, \"enum\": [null]}]}, "
	 "\"metadata\": {\"type\": \"object\", \"additionalProperties\": true}"
	 "}"
	 ", \"example\": {\"id\": \"resp_c0b7a18304a246bca6e65fd4bef7cfb60000000000000007\", "
	 "\"object\": \"response\", \"created_at\": 1796225172, \"status\": \"completed\", "
	 "\"error\": null, \"incomplete_details\": null, "
	 "\"instructions\": \"Answer in one sentence.\", \"model\": \"gpt-schema\", "
	 "\"output\": [{\"id\": \"msg_c0b7a18304a246bca6e65fd4bef7cfb60000000000000007\", "
	 "\"type\": \"message\", \"status\": \"completed\", \"role\": \"assistant\", "
	 "\"content\": [{\"type\": \"output_text\", \"text\": \"echo: When is the next clinic day?\", "
	 "\"annotations\": []}]}], \"parallel_tool_calls\": false, \"previous_response_id\": null, "
	 "\"store\": true, \"text\": {\"format\": {\"type\": \"text\"}}, \"tool_choice\": \"none\", "
	 "\"tools\": [], \"truncation\": \"disabled\", \"usage\": {\"input_tokens\": 11, "
	 "\"input_tokens_details\": {\"cached_tokens\": 0}, \"output_tokens\": 7, "
	 "\"output_tokens_details\": {\"reasoning_tokens\": 0}, \"total_tokens\": 18}, \"metadata\": {}}"
	 "}"},
	/* response.created / in_progress / completed / failed: the Response as it stands */
	{"ResponseLifecycleEvent",
	 "{\"type\": \"object\", \"required\": [\"type\", \"sequence_number\", \"response\"]"
	 ", \"properties\": {"
	 "\"type\": {\"type\": \"string\", \"enum\": [\"response.created\", \"response.in_progress\", "
	 "\"response.completed\", \"response.failed\"]}, "
	 "\"sequence_number\": {\"type\": \"integer\", \"minimum\": 0}, "
	 "\"response\": {\"$ref\": \"#/components/schemas/Response\"}"
	 "}"
	 ", \"example\": {\"type\": \"response.created\", \"sequence_number\": 0, "
	 "\"response\": {\"id\": \"resp_c0b7a18304a246bca6e65fd4bef7cfb60000000000000009\", "
	 "\"object\": \"response\", \"created_at\": 1796225172, \"status\": \"in_progress\", "
	 "\"error\": null, \"incomplete_details\": null, \"instructions\": null, "
	 "\"model\": \"gpt-schema\", \"output\": [], \"parallel_tool_calls\": false, "
	 "\"previous_response_id\": \"resp_c0b7a18304a246bca6e65fd4bef7cfb60000000000000007\", "
	 "\"store\": true, \"text\": {\"format\": {\"type\": \"text\"}}, \"tool_choice\": \"none\", "
	 "\"tools\": [], \"truncation\": \"disabled\", \"usage\": null, \"metadata\": {}}}"
	 "}"},
	/* response.output_item.added / done */
	{"ResponseOutputItemEvent",
	 "{\"type\": \"object\", \"required\": [\"type\", \"sequence_number\", \"output_index\", \"item\"]"
	 ", \"properties\": {"
	 "\"type\": {\"type\": \"string\", \"enum\": [\"response.output_item.added\", "
	 "\"response.output_item.done\"]}, "
	 "\"sequence_number\": {\"type\": \"integer\", \"minimum\": 0}, "
	 "\"output_index\": {\"type\": \"integer\"}, "
	 "\"item\": {\"$ref\": \"#/components/schemas/ResponseOutputMessage\"}"
	 "}"
	 ", \"example\": {\"type\": \"response.output_item.done\", \"sequence_number\": 9, "
	 "\"output_index\": 0, \"item\": {\"id\": \"msg_c0b7a18304a246bca6e65fd4bef7cfb60000000000000"
	 "009\", \"type\": \"message\", \"status\": \"completed\", \"role\": \"assistant\", "
	 "\"content\": [{\"type\": \"output_text\", \"text\": \"echo: And after?\", \"annotations\": []}]}}"
	 "}"},
	/* response.content_part.added / done */
	{"ResponseContentPartEvent",
	 "{\"type\": \"object\", \"required\": [\"type\", \"sequence_number\", \"item_id\", "
	 "\"output_index\", \"content_index\", \"part\"]"
	 ", \"properties\": {"
	 "\"type\": {\"type\": \"string\", \"enum\": [\"response.content_part.added\", "
	 "\"response.content_part.done\"]}, "
	 "\"sequence_number\": {\"type\": \"integer\", \"minimum\": 0}, "
	 "\"item_id\": {\"type\": \"string\"}, "
	 "\"output_index\": {\"type\": \"integer\"}, "
	 "\"content_index\": {\"type\": \"integer\"}, "
	 "\"part\": {\"$ref\": \"#/components/schemas/ResponseOutputText\"}"
	 "}"
	 ", \"example\": {\"type\": \"response.content_part.done\", \"sequence_number\": 8, "
	 "\"item_id\": \"msg_c0b7a18304a246bca6e65fd4bef7cfb60000000000000009\", "
	 "\"output_index\": 0, \"content_index\": 0, \"part\": {\"type\": \"output_text\", "
	 "\"text\": \"echo: And after?\", \"annotations\": []}}"
	 "}"},
	/* response.output_text.delta: one piece of text as the provider produced it */
	{"ResponseTextDeltaEvent",
	 "{\"type\": \"object\", \"required\": [\"type\", \"sequence_number\", \"item_id\", "
	 "\"output_index\", \"content_index\", \"delta\", \"logprobs\"]"
	 ", \"properties\": {"
	 "\"type\": {\"type\": \"string\", \"enum\": [\"response.output_text.delta\"]}, "
	 "\"sequence_number\": {\"type\": \"integer\", \"minimum\": 0}, "
	 "\"item_id\": {\"type\": \"string\"}, "
	 "\"output_index\": {\"type\": \"integer\"}, "
	 "\"content_index\": {\"type\": \"integer\"}, "
	 "\"delta\": {\"type\": \"string\"}, "
	 "\"logprobs\": {\"type\": \"array\", \"items\": {\"type\": \"object\", \"additionalProperties\": true}}"
	 "}"
	 ", \"example\": {\"type\": \"response.output_text.delta\", \"sequence_number\": 4, "
	 "\"item_id\": \"msg_c0b7a18304a246bca6e65fd4bef7cfb60000000000000009\", "
	 "\"output_index\": 0, \"content_index\": 0, \"delta\": \"echo: \", \"logprobs\": []}"
	 "}"},
	/* response.output_text.done: the whole text */
	{"ResponseTextDoneEvent",
	 "{\"type\": \"object\", \"required\": [\"type\", \"sequence_number\", \"item_id\", "
	 "\"output_index\", \"content_index\", \"text\", \"logprobs\"]"
	 ", \"properties\": {"
	 "\"type\": {\"type\": \"string\", \"enum\": [\"response.output_text.done\"]}, "
	 "\"sequence_number\": {\"type\": \"integer\", \"minimum\": 0}, "
	 "\"item_id\": {\"type\": \"string\"}, "
	 "\"output_index\": {\"type\": \"integer\"}, "
	 "\"content_index\": {\"type\": \"integer\"}, "
	 "\"text\": {\"type\": \"string\"}, "
	 "\"logprobs\": {\"type\": \"array\", \"items\": {\"type\": \"object\", \"additionalProperties\": true}}"
	 "}"
	 ", \"example\": {\"type\": \"response.output_text.done\", \"sequence_number\": 7, "
	 "\"item_id\": \"msg_c0b7a18304a246bca6e65fd4bef7cfb60000000000000009\", "
	 "\"output_index\": 0, \"content_index\": 0, \"text\": \"echo: And after?\", \"logprobs\": []}"
	 "}"},
	/* error: the last event of a failed stream (the SDKs raise on it) */
	{"ResponseErrorEvent",
	 "{\"type\": \"object\", \"required\": [\"type\", \"sequence_number\", \"code\", \"message\", \"param\"]"
	 ", \"properties\": {"
	 "\"type\": {\"type\": \"string\", \"enum\": [\"error\"]}, "
	 "\"sequence_number\": {\"type\": \"integer\", \"minimum\": 0}, "
	 "\"code\": {\"type\": \"string\"}, "
	 "\"message\": {\"type\": \"string\"}, "
	 "\"param\": {\"type\": \"string\", \"nullable\": true}"
	 "}"
	 ", \"example\": {\"type\": \"error\", \"sequence_number\": 5, \"code\": \"server_error\", "
	 "\"message\": \"The chatbot's LLM provider failed to answer.\", \"param\": null}"
	 "}"},
	/* the data: of each event of a streamed response; its type is the event: name */
	{"ResponseStreamEvent",
	 "{\"oneOf\": [{\"$ref\": \"#/components/schemas/ResponseLifecycleEvent\"}, "
	 "{\"$ref\": \"#/components/schemas/ResponseOutputItemEvent\"}, "
	 "{\"$ref\": \"#/components/schemas/ResponseContentPartEvent\"}, "
	 "{\"$ref\": \"#/components/schemas/ResponseTextDeltaEvent\"}, "
	 "{\"$ref\": \"#/components/schemas/ResponseTextDoneEvent\"}, "
	 "{\"$ref\": \"#/components/schemas/ResponseErrorEvent\"}]"
	 ", \"example\": {\"type\": \"response.output_text.delta\", \"sequence_number\": 4, "
	 "\"item_id\": \"msg_c0b7a18304a246bca6e65fd4bef7cfb60000000000000009\", "
	 "\"output_index\": 0, \"content_index\": 0, \"delta\": \"echo: \", \"logprobs\": []}"
	 "}"},
	/* the body of POST /api/trigger_bot (§9.1): exactly one of prompt_text and message_text */
	{"TriggerBotMessageRequest",
	 "{\"type\": \"object\", \"required\": [\"identifier\", \"platform\", \"experiment\"]"
	 ", \"properties\": {"
	 "\"identifier\": {\"type\": \"string\", \"minLength\": 1, \"maxLength\": 320}, "
	 "\"platform\": {\"type\": \"string\", \"enum\": [\"telegram\", \"web\", \"whatsapp\", \"facebook\", "
	 "\"sureadhere\", \"api\", \"slack\", \"commcare_connect\", \"evaluations\", \"embedded_widget\"]}, "
	 "\"experiment\": {\"type\": \"string\", \"format\": \"uuid\"}, "
	 "\"prompt_text\": {\"type\": \"string\", \"maxLength\": 32768, \"nullable\": true, "
	 "\"description\": \"an instruction to the model\"}, "
	 "\"message_text\": {\"type\": \"string\", \"maxLength\": 32768, \"nullable\": true, "
	 "\"description\": \"sent verbatim\"}, "
	 "\"start_new_session\": {\"type\": \"boolean\", \"default\": false}, "
	 "\"session_data\": {\"type\": \"object\", \"additionalProperties\": true}, "
	 "\"participant_data\": {\"type\": \"object\", \"additionalProperties\": true}, "
	 "\"page_context\": {\"type\": \"object\", \"additionalProperties\": true, "
	 "\"description\": \"Confab: stored under the state key page_context\"}"
	 "}"
	 ", \"example\": {\"identifier\": \"555001\", \"platform\": \"telegram\", "
	 "\"experiment\": \"78f6ce3a-863e-4439-9fed-dd4d49258831\", "
	 "\"message_text\": \"Your visit is tomorrow.\"}"
	 "}"},
	/* the session the queued message goes to */
	{"TriggerBotMessageResponse",
	 "{\"type\": \"object\", \"required\": [\"session_id\", \"url\", \"team\", \"channel\"]"
	 ", \"properties\": {"
	 "\"session_id\": {\"type\": \"string\", \"format\": \"uuid\"}, "
	 "\"url\": {\"type\": \"string\", \"format\": \"uri\"}, "
	 "\"team\": {\"$ref\": \"#/components/schemas/Team\"}, "
	 "\"channel\": {\"type\": \"string\", \"enum\": [\"telegram\", \"web\", \"whatsapp\", \"facebook\", "
	 "\"sureadhere\", \"api\", \"slack\", \"commcare_connect\", \"evaluations\", \"embedded_widget\"]}"
	 "}"
	 ", \"example\": {\"session_id\": \"2610b4cd-412a-4f50-ba1e-9f0c803e1fc4\", "
	 "\"url\": \"https://confab.example.net/api/sessions/2610b4cd-412a-4f50-ba1e-9f0c803e1fc4"
	 "/\", \"team\": {\"name\": \"Demo team\", \"slug\": \"demo\"}, \"channel\": \"telegram\"}"
	 "}"},
	/* the body of POST /channels/api/{id}/incoming_message (§9.2) */
	{"ApiMessage",
	 "{\"type\": \"object\", \"required\": [\"message\"]"
	 ", \"properties\": {"
	 "\"message\": {\"type\": \"string\", \"minLength\": 1, \"maxLength\": 32768}, "
	 "\"session\": {\"type\": \"string\", \"maxLength\": 255, \"nullable\": true, "
	 "\"description\": \"continue this session (else the caller's latest open one)\"}"
	 "}"
	 ", \"example\": {\"message\": \"Hello\"}"
	 "}"},
	/* a file of a reply (Confab's chatbots produce none) */
	{"ApiResponseAttachment",
	 "{\"type\": \"object\", \"required\": [\"file_name\", \"link\"]"
	 ", \"properties\": {"
	 "\"file_name\": {\"type\": \"string\"}, "
	 "\"link\": {\"type\": \"string\"}"
	 "}"
	 ", \"example\": {\"file_name\": \"report.pdf\", "
	 "\"link\": \"https://confab.example.net/api/files/7/content\"}"
	 "}"},
	/* the reply of incoming_message */
	{"ApiResponseMessage",
	 "{\"type\": \"object\", \"required\": [\"response\", \"attachments\"]"
	 ", \"properties\": {"
	 "\"response\": {\"type\": \"string\"}, "
	 "\"attachments\": {\"type\": \"array\", "
	 "\"items\": {\"$ref\": \"#/components/schemas/ApiResponseAttachment\"}}"
	 "}"
	 ", \"example\": {\"response\": \"echo: Hello\", \"attachments\": []}"
	 "}"},
	/* the body of POST /api/chat/start/ (§10.1) */
	{"ChatStartSessionRequest",
	 "{\"type\": \"object\", \"required\": [\"chatbot_id\"]"
	 ", \"properties\": {"
	 "\"chatbot_id\": {\"type\": \"string\", \"format\": \"uuid\", "
	 "\"description\": \"the working chatbot id\"}, "
	 "\"session_data\": {\"type\": \"object\", \"additionalProperties\": true, "
	 "\"description\": \"initial state, for cookie users only\"}, "
	 "\"participant_remote_id\": {\"type\": \"string\", \"maxLength\": 255, \"default\": \"\"}, "
	 "\"participant_name\": {\"type\": \"string\", \"maxLength\": 320}"
	 "}"
	 ", \"example\": {\"chatbot_id\": \"78f6ce3a-863e-4439-9fed-dd4d49258831\", "
	 "\"participant_remote_id\": \"r-1\", \"participant_name\": \"Ann\"}"
	 "}"},
	/* the new chat session (201); send session_token as X-Session-Token */
	{"ChatStartSessionResponse",
	 "{\"type\": \"object\", \"required\": [\"session_id\", \"session_token\", \"chatbot\", \"participant\"]"
	 ", \"properties\": {"
	 "\"session_id\": {\"type\": \"string\", \"format\": \"uuid\"}, "
	 "\"session_token\": {\"type\": \"string\"}, "
	 "\"chatbot\": {\"$ref\": \"#/components/schemas/Experiment\"}, "
	 "\"participant\": {\"$ref\": \"#/components/schemas/Participant\"}"
	 "}"
	 ", \"example\": {\"session_id\": \"5e4efcfa-61ba-4144-b7e5-fcd1db4032e4\", "
	 "\"session_token\": \"c3QxfDVlNGVmY2ZhLTYxYmEtNDE0NC1iN2U1LWZjZDFkYjQwMzJlNA.toRMCNQQw8c"
	 "o5bDWE3eIY41zNP-SaDL2vozj7cJ_j38\", "
	 "\"chatbot\": {\"id\": \"78f6ce3a-863e-4439-9fed-dd4d49258831\", \"name\": \"Schema bot\", "
	 "\"url\": \"https://confab.example.net/api/experiments/78f6ce3a-863e-4439-9fed-dd4d49258"
	 "831/\", \"version_number\": 1, \"versions\": []}, "
	 "\"participant\": {\"identifier\": \"anon:df364224-8c06-427e-8cd0-3a1222e3be1b\", "
	 "\"remote_id\": \"r-1\"}}"
	 "}"},
	/* multipart/form-data of POST .../upload/ (§10.2): at most 50 MB each and in all */
	{"ChatUploadFileRequest",
	 "{\"x-content-type\": \"multipart/form-data\", \"type\": \"object\", \"required\": [\"files\"]"
	 ", \"properties\": {"
	 "\"files\": {\"type\": \"array\", \"minItems\": 1, \"maxItems\": 100, "
	 "\"items\": {\"type\": \"string\", \"format\": \"binary\"}}, "
	 "\"participant_remote_id\": {\"type\": \"string\"}, "
	 "\"participant_name\": {\"type\": \"string\"}"
	 "}"
	 ", \"example\": {\"files\": [\"hours.txt\"]}"
	 "}"},
	/* a stored upload, to name in attachment_ids */
	{"UploadedFile",
	 "{\"type\": \"object\", \"required\": [\"id\", \"name\", \"size\", \"content_type\"]"
	 ", \"properties\": {"
	 "\"id\": {\"type\": \"integer\", \"minimum\": 1}, "
	 "\"name\": {\"type\": \"string\", \"maxLength\": 255}, "
	 "\"size\": {\"type\": \"integer\", \"minimum\": 0}, "
	 "\"content_type\": {\"type\": \"string\"}"
	 "}"
	 ", \"example\": {\"id\": 1, \"name\": \"hours.txt\", \"size\": 14, \"content_type\": \"text/plain\"}"
	 "}"},
	/* the stored uploads (201) */
	{"ChatUploadFileResponse",
	 "{\"type\": \"object\", \"required\": [\"files\"]"
	 ", \"properties\": {"
	 "\"files\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/components/schemas/UploadedFile\"}}"
	 "}"
	 ", \"example\": {\"files\": [{\"id\": 1, \"name\": \"hours.txt\", \"size\": 14, "
	 "\"content_type\": \"text/plain\"}]}"
	 "}"},
	/* the body of POST .../message/ (§10.3) */
	{"ChatSendMessageRequestWithAttachments",
	 "{\"type\": \"object\", \"required\": [\"message\"]"
	 ", \"properties\": {"
	 "\"message\": {\"type\": \"string\", \"minLength\": 1, \"maxLength\": 32768}, "
	 "\"attachment_ids\": {\"type\": \"array\", \"maxItems\": 100, \"items\": {\"type\": \"integer\", "
	 "\"minimum\": 1}, \"nullable\": true, \"description\": \"ids of this session's uploads\"}, "
	 "\"context\": {\"type\": \"object\", \"additionalProperties\": true, \"nullable\": true, "
	 "\"description\": \"replaces the state key remote_context\"}"
	 "}"
	 ", \"example\": {\"message\": \"What are the hours?\", \"attachment_ids\": [1]}"
	 "}"},
	/* the queued reply task (202; status is always processing) */
	{"ChatSendMessageResponse",
	 "{\"type\": \"object\", \"required\": [\"task_id\", \"status\"]"
	 ", \"properties\": {"
	 "\"task_id\": {\"type\": \"string\", \"format\": \"uuid\"}, "
	 "\"status\": {\"type\": \"string\", \"enum\": [\"processing\"]}"
	 "}"
	 ", \"example\": {\"task_id\": \"038e3766-486a-4784-8ee0-d3476752b33a\", \"status\": \"processing\"}"
	 "}"},
	/* the state of a reply task (200): the reply once complete, else null */
	{"ChatTaskPoll",
	 "{\"type\": \"object\", \"required\": [\"message\", \"status\"]"
	 ", \"properties\": {"
	 "\"message\": {\"anyOf\": [{\"$ref\": \"#/components/schemas/Message\"}, "
	 "{\"type\": \"object\", \"nullable\": true, \"enum\": [null]}]}, "
	 "\"status\": {\"type\": \"string\", \"enum\": [\"processing\", \"complete\"]}"
	 "}"
	 ", \"example\": {\"message\": {\"created_at\": \"2026-12-02T15:26:13.137396Z\", "
	 "\"role\": \"assistant\", \"content\": \"echo: What are the hours?\\n\\n<document filename=\\\"h"
	 "ours.txt\\\">\\nopening hours\\n\\n</document>\", \"metadata\": {}, "
	 "\"tags\": [\"v1-unreleased\"], \"attachments\": []}, \"status\": \"complete\"}"
	 "}"},
	/* a task that failed for good (400 user-facing, 500 otherwise; 500 Unknown error has no status) */
	{"ChatTaskPollError",
	 "{\"type\": \"object\", \"required\": [\"error\"]"
	 ", \"properties\": {"
	 "\"error\": {\"type\": \"string\"}, "
	 "\"status\": {\"type\": \"string\", \"enum\": [\"error\"]}"
	 "}"
	 ", \"example\": {\"error\": \"The message and its attachments are too long for this chatbo"
	 "t. Send fewer or smaller files.\", \"status\": \"error\"}"
	 "}"},
	/* the session's messages after since (§10.5) */
	{"ChatPollResponse",
	 "{\"x-etag\": true, \"type\": \"object\", \"required\": [\"messages\", \"has_more\", \"session_status\"]"
	 ", \"properties\": {"
	 "\"messages\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/components/schemas/Message\"}}, "
	 "\"has_more\": {\"type\": \"boolean\"}, "
	 "\"session_status\": {\"type\": \"string\", \"enum\": [\"active\", \"ended\"]}"
	 "}"
	 ", \"example\": {\"messages\": [{\"created_at\": \"2026-12-02T15:26:13.116845Z\", "
	 "\"role\": \"user\", \"content\": \"What are the hours?\", "
	 "\"metadata\": {\"ocs_attachment_file_ids\": [1]}, \"tags\": [], "
	 "\"attachments\": [{\"name\": \"hours.txt\", \"content_type\": \"text/plain\", \"size\": 14, "
	 "\"content_url\": \"https://confab.example.net/api/files/1/content\"}]}, "
	 "{\"created_at\": \"2026-12-02T15:26:13.137396Z\", \"role\": \"assistant\", "
	 "\"content\": \"echo: What are the hours?\\n\\n<document filename=\\\"hours.txt\\\">\\nopening "
	 "hours\\n\\n</document>\", \"metadata\": {}, \"tags\": [\"v1-unreleased\"], "
	 "\"attachments\": []}], \"has_more\": false, \"session_status\": \"active\"}"
	 "}"},
	/* 403 of a chat session route: the X-Session-Token refusal (§2.8) */
	{"ChatAccessDenied",
	 "{\"type\": \"object\", \"required\": [\"error\", \"code\"]"
	 ", \"properties\": {"
	 "\"error\": {\"type\": \"string\"}, "
	 "\"code\": {\"type\": \"string\", \"enum\": [\"session_token_required\", \"session_token_invalid\"]}"
	 "}"
	 ", \"example\": {\"error\": \"Invalid session token\", \"code\": \"session_token_invalid\"}"
	 "}"},
	{NULL, NULL},
};
