/* schemas_core.c - the named schemas (components.schemas) of the error
 * body families and of the core routes: sessions, experiments,
 * participants, files, health, this document, login and OAuth. Names are
 * the seed document's (api-schema.yml of upstream 320d1c086ce3) where it
 * has one; the shapes are Confab's, field by field (docs/API.md). */
#include "api_schemas.h"

#define REF(name) "{\"$ref\":\"#/components/schemas/" name "\"}"
/* OpenAPI 3.0's nullable applies only beside a type (a null fails an
 * allOf of a $ref), so the nullable uses below spell the schema out. */
#define PLATFORM_VALUES                                                                                        \
	"\"telegram\",\"web\",\"whatsapp\",\"facebook\",\"sureadhere\",\"api\",\"slack\",\"commcare_connect\","    \
	"\"evaluations\",\"embedded_widget\""
#define PARTICIPANT_BODY                                                                                       \
	"\"required\":[\"identifier\",\"remote_id\"],\"properties\":{\"identifier\":{\"type\":\"string\","           \
	"\"maxLength\":320},\"remote_id\":{\"type\":\"string\",\"maxLength\":255}}"
#define STR "{\"type\":\"string\"}"
#define STR_NULL "{\"type\":\"string\",\"nullable\":true}"
#define TIME "{\"type\":\"string\",\"format\":\"date-time\",\"example\":\"2026-02-03T14:05:41.218093Z\"}"
#define URI "{\"type\":\"string\",\"format\":\"uri\"}"
#define ANY_OBJECT "{\"type\":\"object\",\"additionalProperties\":true}"
#define CURSOR_LINKS                                                                                           \
	"\"next\":{\"type\":\"string\",\"format\":\"uri\",\"nullable\":true,"                                  \
	"\"description\":\"The next page (the request's URL with cursor replaced), or null.\"},"              \
	"\"previous\":{\"type\":\"string\",\"format\":\"uri\",\"nullable\":true},"                            \
	"\"count\":{\"type\":\"integer\",\"minimum\":0,"                                                       \
	"\"description\":\"How many match the filters; on the first page only (no cursor).\"}"

/* Media types other than application/json are named by the schema itself
 * ("x-content-type", read and removed by api_docs.c); so is the
 * conditional GET ("x-etag": the success carries ETag and may be 304). */

/* Examples: real answers of a test stack (POST /api/sessions/ and its
 * detail, the lists, POST /api/participants), the host replaced by
 * confab.example.net. */
#define EX_SESSION \
	"{\"url\":\"https://confab.example.net/api/sessions/dde85ce5-8590-4c3c-b728-263e30065992/\",\"id\"" \
	":\"dde85ce5-8590-4c3c-b728-263e30065992\",\"team\":{\"name\":\"Demo team\",\"slug\":\"demo\"},\"" \
	"experiment\":{\"id\":\"8d2d5c67-3bea-4427-8e61-f6da012116ef\",\"name\":\"Clinic helper\",\"descr" \
	"iption\":\"\",\"url\":\"https://confab.example.net/api/experiments/8d2d5c67-3bea-4427-8e61-f6da0" \
	"12116ef/\",\"version_number\":2,\"versions\":[{\"name\":\"Clinic helper\",\"version_number\":1,\"" \
	"is_default_version\":true,\"version_description\":\"\"}]},\"participant\":{\"identifier\":\"amir" \
	"a@example.net\",\"remote_id\":\"\"},\"created_at\":\"2026-12-02T15:28:05.641856Z\",\"updated_at\"" \
	":\"2026-12-02T15:28:05.641856Z\",\"status\":\"setup\",\"platform\":null,\"tags\":[\"callback\"]," \
	"\"state\":{\"step\":1}}"
#define EX_SESSION_DETAIL \
	"{\"url\":\"https://confab.example.net/api/sessions/dde85ce5-8590-4c3c-b728-263e30065992/\",\"id\"" \
	":\"dde85ce5-8590-4c3c-b728-263e30065992\",\"team\":{\"name\":\"Demo team\",\"slug\":\"demo\"},\"" \
	"experiment\":{\"id\":\"8d2d5c67-3bea-4427-8e61-f6da012116ef\",\"name\":\"Clinic helper\",\"descr" \
	"iption\":\"\",\"url\":\"https://confab.example.net/api/experiments/8d2d5c67-3bea-4427-8e61-f6da0" \
	"12116ef/\",\"version_number\":2,\"versions\":[{\"name\":\"Clinic helper\",\"version_number\":1,\"" \
	"is_default_version\":true,\"version_description\":\"\"}]},\"participant\":{\"identifier\":\"amir" \
	"a@example.net\",\"remote_id\":\"\"},\"created_at\":\"2026-12-02T15:28:05.641856Z\",\"updated_at\"" \
	":\"2026-12-02T15:28:05.641856Z\",\"status\":\"setup\",\"platform\":null,\"messages\":[{\"created" \
	"_at\":\"2026-12-02T15:28:05.642487Z\",\"role\":\"user\",\"content\":\"When does the clinic open?" \
	"\",\"metadata\":{},\"tags\":[],\"attachments\":[]}],\"usage\":{\"total_cost\":\"0.00000000\",\"b" \
	"y_model\":[]},\"tags\":[\"callback\"],\"state\":{\"step\":1}}"
#define EX_SESSION_PAGE \
	"{\"next\":null,\"previous\":null,\"results\":[{\"url\":\"https://confab.example.net/api/sessions" \
	"/dde85ce5-8590-4c3c-b728-263e30065992/\",\"id\":\"dde85ce5-8590-4c3c-b728-263e30065992\",\"team\"" \
	":{\"name\":\"Demo team\",\"slug\":\"demo\"},\"experiment\":{\"id\":\"8d2d5c67-3bea-4427-8e61-f6d" \
	"a012116ef\",\"name\":\"Clinic helper\",\"description\":\"\",\"url\":\"https://confab.example.net" \
	"/api/experiments/8d2d5c67-3bea-4427-8e61-f6da012116ef/\",\"version_number\":2,\"versions\":[{\"n" \
	"ame\":\"Clinic helper\",\"version_number\":1,\"is_default_version\":true,\"version_description\"" \
	":\"\"}]},\"participant\":{\"identifier\":\"amira@example.net\",\"remote_id\":\"\"},\"created_at\"" \
	":\"2026-12-02T15:28:05.641856Z\",\"updated_at\":\"2026-12-02T15:28:05.641856Z\",\"status\":\"set" \
	"up\",\"platform\":null,\"tags\":[\"callback\"],\"state\":{\"step\":1}}],\"count\":1}"
#define EX_EXPERIMENT \
	"{\"id\":\"8d2d5c67-3bea-4427-8e61-f6da012116ef\",\"name\":\"Clinic helper\",\"url\":\"https://co" \
	"nfab.example.net/api/experiments/8d2d5c67-3bea-4427-8e61-f6da012116ef/\",\"version_number\":2,\"" \
	"versions\":[{\"name\":\"Clinic helper\",\"version_number\":1,\"is_default_version\":true,\"versi" \
	"on_description\":\"\"}]}"
#define EX_EXPERIMENT_PAGE \
	"{\"next\":null,\"previous\":null,\"results\":[{\"id\":\"8d2d5c67-3bea-4427-8e61-f6da012116ef\",\"" \
	"name\":\"Clinic helper\",\"url\":\"https://confab.example.net/api/experiments/8d2d5c67-3bea-4427" \
	"-8e61-f6da012116ef/\",\"version_number\":2,\"versions\":[{\"name\":\"Clinic helper\",\"version_n" \
	"umber\":1,\"is_default_version\":true,\"version_description\":\"\"}]},{\"id\":\"b6f04311-ec45-4c" \
	"9a-9d46-66ef28da8f93\",\"name\":\"Demo bot\",\"url\":\"https://confab.example.net/api/experiment" \
	"s/b6f04311-ec45-4c9a-9d46-66ef28da8f93/\",\"version_number\":1,\"versions\":[]}],\"count\":2}"
#define EX_PARTICIPANT \
	"{\"id\":\"f8607e18-ee64-11f1-9b54-02fc00000001\",\"identifier\":\"amira@example.net\",\"name\":\"" \
	"Amira\",\"platform\":\"api\",\"remote_id\":\"\",\"data\":[{\"chatbot\":\"Clinic helper\",\"chatb" \
	"ot_id\":\"8d2d5c67-3bea-4427-8e61-f6da012116ef\",\"data\":{\"district\":\"north\"},\"connect_cha" \
	"nnel_id\":null}]}"
#define EX_PARTICIPANT_PAGE \
	"{\"next\":null,\"previous\":null,\"results\":[{\"id\":\"f8607e18-ee64-11f1-9b54-02fc00000001\",\"" \
	"identifier\":\"amira@example.net\",\"name\":\"Amira\",\"platform\":\"api\",\"remote_id\":\"\",\"" \
	"data\":[{\"chatbot\":\"Clinic helper\",\"chatbot_id\":\"8d2d5c67-3bea-4427-8e61-f6da012116ef\",\"" \
	"data\":{\"district\":\"north\"},\"connect_channel_id\":null}]}],\"count\":1}"

const struct api_schema api_schemas_core[] = {
	/* ---- error body families (docs/API.md §1.2) ---- */
	{"DetailError",
	 "{\"type\":\"object\",\"description\":\"DRF's error body: authentication, permission, not found, method, "
	 "media type, size, timeouts, server errors.\",\"required\":[\"detail\"],"
	 "\"properties\":{\"detail\":" STR "},"
	 "\"example\":{\"detail\":\"Authentication credentials were not provided.\"}}"},
	{"RateLimitError",
	 "{\"type\":\"object\",\"required\":[\"detail\",\"available_in\"],"
	 "\"properties\":{\"detail\":" STR ",\"available_in\":{\"type\":\"integer\",\"minimum\":0,"
	 "\"description\":\"Seconds until the window has room again (also Retry-After).\"}},"
	 "\"example\":{\"detail\":\"Rate limit exceeded.\",\"available_in\":42}}"},
	{"FieldErrors",
	 "{\"type\":\"object\",\"description\":\"DRF's validation errors: each invalid field names its messages; "
	 "a list field holds one entry per element ({} for a valid one), an indexed map the index as a key; "
	 "errors of the body as a whole are under non_field_errors.\","
	 "\"additionalProperties\":" REF("FieldErrorValue") ","
	 "\"example\":{\"experiment\":[\"This field is required.\"]}}"},
	{"FieldErrorValue",
	 "{\"anyOf\":[{\"type\":\"array\",\"items\":{\"anyOf\":[" STR "," REF("FieldErrors") "]}}," REF("FieldErrors")
	 "," STR "],\"description\":\"A list of messages; a nested object's errors; or one message as a string "
	 "(what a serializer's create() raises, e.g. a machine token's missing participant, docs/API.md §2.3.1).\"}"},
	{"AdHocError",
	 "{\"type\":\"object\",\"description\":\"The ad-hoc error of the session actions and the chat API's "
	 "business errors.\",\"required\":[\"error\"],\"properties\":{\"error\":" STR "},"
	 "\"example\":{\"error\":\"Missing 'tags' in request\"}}"},
	{"ParticipantsNotFoundError",
	 "{\"type\":\"object\",\"required\":[\"errors\"],\"properties\":{\"errors\":{\"type\":\"array\",\"items\":"
	 "{\"type\":\"object\",\"required\":[\"message\"],\"properties\":{\"message\":" STR "}}}},"
	 "\"example\":{\"errors\":[{\"message\":\"Experiment 0b9e2a6c-2f37-4a43-9d5e-1c4c1b0a7f11 not found\"}]}}"},
	{"OpenAIErrorObject",
	 "{\"type\":\"object\",\"required\":[\"message\",\"type\",\"param\",\"code\"],"
	 "\"properties\":{\"message\":" STR ",\"type\":" STR ",\"param\":" STR_NULL ",\"code\":" STR_NULL "}}"},
	{"OpenAIError",
	 "{\"type\":\"object\",\"description\":\"Every error of an /api/openai/ route: the keys of its family "
	 "(detail, field errors, available_in) and OpenAI's error object after them.\","
	 "\"required\":[\"error\"],\"properties\":{\"detail\":" STR ",\"error\":" REF("OpenAIErrorObject") "},"
	 "\"additionalProperties\":true,"
	 "\"example\":{\"detail\":\"Invalid token.\",\"error\":{\"message\":\"Invalid token.\","
	 "\"type\":\"authentication_error\",\"param\":null,\"code\":\"invalid_api_key\"}}}"},
	{"OAuthError",
	 "{\"type\":\"object\",\"description\":\"RFC 6749 section 5.2.\",\"required\":[\"error\"],"
	 "\"properties\":{\"error\":{\"type\":\"string\",\"enum\":[\"invalid_request\",\"invalid_client\","
	 "\"invalid_grant\",\"unauthorized_client\",\"unsupported_grant_type\",\"invalid_scope\"]},"
	 "\"error_description\":" STR "},\"example\":{\"error\":\"invalid_client\"}}"},

	/* ---- enums shared by several families (docs/API.md §3.1, §3.2, §5) ---- */
	{"PlatformEnum",
	 "{\"type\":\"string\",\"enum\":[" PLATFORM_VALUES "]}"},
	{"ExperimentSessionStatusEnum",
	 "{\"type\":\"string\",\"enum\":[\"setup\",\"pending\",\"pending-pre-survey\",\"active\","
	 "\"pending-review\",\"complete\",\"unknown\"]}"},
	{"MessageRoleEnum", "{\"type\":\"string\",\"enum\":[\"system\",\"user\",\"assistant\"]}"},

	/* ---- shared objects (§5) ---- */
	{"File",
	 "{\"type\":\"object\",\"required\":[\"name\",\"content_type\",\"size\",\"content_url\"],"
	 "\"properties\":{\"name\":{\"type\":\"string\",\"maxLength\":255},\"content_type\":" STR ","
	 "\"size\":{\"type\":\"integer\",\"minimum\":0},\"content_url\":{\"type\":\"string\",\"format\":\"uri\","
	 "\"readOnly\":true}},\"example\":{\"name\":\"card.png\",\"content_type\":\"image/png\",\"size\":40961,"
	 "\"content_url\":\"https://confab.example.net/api/files/77/content\"}}"},
	{"Message",
	 "{\"type\":\"object\",\"description\":\"A message of a session as shown (input: MessageInput).\","
	 "\"required\":[\"created_at\",\"role\",\"content\",\"metadata\",\"tags\",\"attachments\"],"
	 "\"properties\":{\"created_at\":{\"type\":\"string\",\"format\":\"date-time\",\"readOnly\":true},"
	 "\"role\":" REF("MessageRoleEnum") ",\"content\":{\"type\":\"string\",\"maxLength\":32768},"
	 "\"metadata\":{\"type\":\"object\",\"additionalProperties\":true,\"readOnly\":true},"
	 "\"tags\":{\"type\":\"array\",\"items\":" STR ",\"readOnly\":true},"
	 "\"attachments\":{\"type\":\"array\",\"items\":" REF("File") ",\"readOnly\":true}},"
	 "\"example\":{\"created_at\":\"2026-02-03T14:06:10.004812Z\",\"role\":\"assistant\","
	 "\"content\":\"The clinic opens at eight tomorrow.\",\"metadata\":{},\"tags\":[\"v2\"],"
	 "\"attachments\":[]}}"},

	{"MessageInput",
	 "{\"type\":\"object\",\"description\":\"A seed message (other keys are ignored).\","
	 "\"required\":[\"role\",\"content\"],\"properties\":{\"role\":" REF("MessageRoleEnum") ","
	 "\"content\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":32768}},"
	 "\"example\":{\"role\":\"user\",\"content\":\"Hello\"}}"},

	/* ---- experiments (§4) ---- */
	{"ExperimentVersion",
	 "{\"type\":\"object\",\"required\":[\"name\",\"version_number\",\"is_default_version\","
	 "\"version_description\"],\"properties\":{\"name\":{\"type\":\"string\",\"maxLength\":128},"
	 "\"version_number\":{\"type\":\"integer\",\"minimum\":0},\"is_default_version\":{\"type\":\"boolean\"},"
	 "\"version_description\":" STR "}}"},
	{"Experiment",
	 "{\"type\":\"object\",\"description\":\"A working chatbot. description: only where a session embeds it.\","
	 "\"required\":[\"id\",\"name\",\"url\",\"version_number\",\"versions\"],"
	 "\"properties\":{\"id\":{\"type\":\"string\",\"format\":\"uuid\"},\"name\":{\"type\":\"string\","
	 "\"maxLength\":128},\"description\":" STR ",\"url\":{\"type\":\"string\",\"format\":\"uri\","
	 "\"readOnly\":true},\"version_number\":{\"type\":\"integer\",\"minimum\":0},"
	 "\"versions\":{\"type\":\"array\",\"items\":" REF("ExperimentVersion") "}},"
	 "\"example\":" EX_EXPERIMENT "}"},
	{"PaginatedExperimentList",
	 "{\"type\":\"object\",\"required\":[\"next\",\"previous\",\"results\"],\"properties\":{" CURSOR_LINKS ","
	 "\"results\":{\"type\":\"array\",\"items\":" REF("Experiment") "}},\"example\":" EX_EXPERIMENT_PAGE "}"},

	/* ---- sessions (§7) ---- */
	{"Team",
	 "{\"type\":\"object\",\"required\":[\"name\",\"slug\"],\"properties\":{\"name\":{\"type\":\"string\","
	 "\"maxLength\":100},\"slug\":{\"type\":\"string\",\"maxLength\":50}},"
	 "\"example\":{\"name\":\"Northside Clinic\",\"slug\":\"northside\"}}"},
	{"Participant", "{\"type\":\"object\"," PARTICIPANT_BODY "}"},
	{"ModelUsage",
	 "{\"type\":\"object\",\"required\":[\"model_name\",\"cost\",\"tokens\"],\"properties\":{\"model_name\":" STR
	 ",\"cost\":{\"type\":\"string\",\"format\":\"decimal\",\"example\":\"0.00000000\"},"
	 "\"tokens\":{\"type\":\"integer\",\"minimum\":0}}}"},
	{"SessionUsage",
	 "{\"type\":\"object\",\"required\":[\"total_cost\",\"by_model\"],\"properties\":{\"total_cost\":"
	 "{\"type\":\"string\",\"format\":\"decimal\"},\"by_model\":{\"type\":\"array\",\"items\":" REF("ModelUsage")
	 "}},\"example\":{\"total_cost\":\"0.00000000\",\"by_model\":[{\"model_name\":\"gpt-4o\","
	 "\"cost\":\"0.00000000\",\"tokens\":300}]}}"},
#define SESSION_PROPS                                                                                          \
	"\"url\":{\"type\":\"string\",\"format\":\"uri\",\"readOnly\":true},"                                  \
	"\"id\":{\"type\":\"string\",\"format\":\"uuid\",\"readOnly\":true},"                                  \
	"\"team\":" REF("Team") ",\"experiment\":" REF("Experiment") ",\"participant\":{\"type\":\"object\",\"nullable\":true," PARTICIPANT_BODY "}" \
	",\"created_at\":" TIME ",\"updated_at\":" TIME ",\"status\":" REF("ExperimentSessionStatusEnum") ","   \
	"\"platform\":{\"type\":\"string\",\"nullable\":true,\"enum\":[" PLATFORM_VALUES ",null],"                 \
	"\"description\":\"null for a session made by POST /api/sessions/\"},"                                  \
	"\"tags\":{\"type\":\"array\",\"items\":" STR "},\"state\":{\"description\":\"Any JSON (default {}).\"}"
#define SESSION_REQUIRED                                                                                       \
	"\"url\",\"id\",\"team\",\"experiment\",\"participant\",\"created_at\",\"updated_at\",\"status\","     \
	"\"platform\",\"tags\",\"state\""
	{"ExperimentSession",
	 "{\"type\":\"object\",\"required\":[" SESSION_REQUIRED "],\"properties\":{" SESSION_PROPS "},"
	 "\"example\":" EX_SESSION "}"},
	{"ExperimentSessionWithMessages",
	 "{\"type\":\"object\",\"required\":[" SESSION_REQUIRED ",\"messages\",\"usage\"],\"properties\":{"
	 SESSION_PROPS ",\"messages\":{\"type\":\"array\",\"items\":" REF("Message") "},\"usage\":"
	 REF("SessionUsage") "},\"x-etag\":true,"
	 "\"example\":" EX_SESSION_DETAIL "}"},
	{"ExperimentSessionCreate",
	 "{\"type\":\"object\",\"required\":[\"experiment\"],\"properties\":{"
	 "\"experiment\":{\"type\":\"string\",\"format\":\"uuid\",\"description\":\"A working chatbot's id.\"},"
	 "\"participant\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":320,"
	 "\"description\":\"The participant's identifier (default: the caller's e-mail).\"},"
	 "\"messages\":{\"type\":\"array\",\"maxItems\":1000,\"items\":" REF("MessageInput") "},"
	 "\"state\":{\"description\":\"Any JSON but null: the initial state (default {}).\"}},"
	 "\"example\":{\"experiment\":\"6f1b2a4c-8d3e-4b5f-9a7c-0e2d4f6a8b1c\",\"participant\":\"amira@example.net\","
	 "\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}],\"state\":{\"step\":1}}}"},
	{"PaginatedExperimentSessionList",
	 "{\"type\":\"object\",\"required\":[\"next\",\"previous\",\"results\"],\"properties\":{" CURSOR_LINKS ","
	 "\"results\":{\"type\":\"array\",\"items\":" REF("ExperimentSession") "}},"
	 "\"example\":" EX_SESSION_PAGE "}"},
	{"Patchedupdate_state_serializer",
	 "{\"type\":\"object\",\"required\":[\"state\"],\"properties\":{\"state\":{\"description\":"
	 "\"The new state (replaces the old one); not null, {}, [], \\\"\\\", 0 or false.\"}},"
	 "\"example\":{\"state\":{\"step\":3}}}"},
	{"update_state_response",
	 "{\"type\":\"object\",\"required\":[\"success\",\"state\"],\"properties\":{\"success\":{\"type\":\"boolean\","
	 "\"enum\":[true]},\"state\":{}},\"example\":{\"success\":true,\"state\":{\"step\":3}}}"},
	{"tags_request_serializer",
	 "{\"type\":\"object\",\"required\":[\"tags\"],\"properties\":{\"tags\":{\"type\":\"array\",\"minItems\":1,"
	 "\"maxItems\":100,\"items\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":100}}},"
	 "\"example\":{\"tags\":[\"callback\",\"urgent\"]}}"},
	{"tags_response_serializer",
	 "{\"type\":\"object\",\"required\":[\"tags\"],\"properties\":{\"tags\":{\"type\":\"array\",\"items\":" STR
	 ",\"description\":\"Every tag name on the session's chat, sorted.\"}},"
	 "\"example\":{\"tags\":[\"callback\",\"urgent\",\"v1\"]}}"},

	/* ---- participants (§9.3, §9.4) ---- */
	{"ParticipantChatbotData",
	 "{\"type\":\"object\",\"required\":[\"chatbot\",\"chatbot_id\",\"data\",\"connect_channel_id\"],"
	 "\"properties\":{\"chatbot\":" STR ",\"chatbot_id\":{\"type\":\"string\",\"format\":\"uuid\"},"
	 "\"data\":" ANY_OBJECT ",\"connect_channel_id\":" STR_NULL "}}"},
	{"ParticipantDetail",
	 "{\"type\":\"object\",\"required\":[\"id\",\"identifier\",\"name\",\"platform\",\"remote_id\",\"data\"],"
	 "\"properties\":{\"id\":{\"type\":\"string\",\"format\":\"uuid\"},\"identifier\":{\"type\":\"string\","
	 "\"maxLength\":320},\"name\":" STR ",\"platform\":" REF("PlatformEnum") ",\"remote_id\":" STR ","
	 "\"data\":{\"type\":\"array\",\"items\":" REF("ParticipantChatbotData") "}},"
	 "\"example\":" EX_PARTICIPANT "}"},
	{"PaginatedParticipantDetailList",
	 "{\"type\":\"object\",\"required\":[\"next\",\"previous\",\"results\"],\"properties\":{" CURSOR_LINKS ","
	 "\"results\":{\"type\":\"array\",\"items\":" REF("ParticipantDetail") "}},\"example\":" EX_PARTICIPANT_PAGE "}"},
	{"ParticipantSchedule",
	 "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\",\"maxLength\":32},"
	 "\"name\":{\"type\":\"string\",\"maxLength\":255},\"prompt\":{\"type\":\"string\",\"maxLength\":10000},"
	 "\"date\":{\"type\":\"string\",\"format\":\"date-time\"},\"delete\":{\"type\":\"boolean\","
	 "\"default\":false}}}"},
	{"ParticipantExperimentData",
	 "{\"type\":\"object\",\"required\":[\"experiment\"],\"properties\":{\"experiment\":{\"type\":\"string\","
	 "\"format\":\"uuid\"},\"data\":" ANY_OBJECT ",\"schedules\":{\"type\":\"array\",\"maxItems\":100,"
	 "\"items\":" REF("ParticipantSchedule") "}}}"},
	{"ParticipantDataUpdateRequest",
	 "{\"type\":\"object\",\"required\":[\"identifier\",\"data\"],\"properties\":{\"identifier\":"
	 "{\"type\":\"string\",\"minLength\":1,\"maxLength\":320},\"name\":{\"type\":\"string\",\"minLength\":1,"
	 "\"maxLength\":320},\"platform\":{\"allOf\":[" REF("PlatformEnum") "],\"default\":\"api\"},"
	 "\"data\":{\"type\":\"array\",\"maxItems\":100,\"items\":" REF("ParticipantExperimentData") "}},"
	 "\"example\":{\"identifier\":\"amira@example.net\",\"name\":\"Amira\",\"data\":[{\"experiment\":"
	 "\"6f1b2a4c-8d3e-4b5f-9a7c-0e2d4f6a8b1c\",\"data\":{\"district\":\"north\"},\"schedules\":[{\"name\":"
	 "\"Reminder\",\"prompt\":\"Remind them of tomorrow's visit\",\"date\":\"2026-02-04T08:00:00Z\"}]}]}}"},

	/* ---- files, health, this document (§16) ---- */
	{"FileContent",
	 "{\"type\":\"string\",\"format\":\"binary\",\"x-content-type\":\"application/octet-stream\"}"},
	{"HealthStatus",
	 "{\"type\":\"object\",\"required\":[\"status\"],\"properties\":{\"status\":{\"type\":\"string\","
	 "\"enum\":[\"ok\"]}},\"example\":{\"status\":\"ok\"}}"},
	{"OpenAPIDocument",
	 "{\"type\":\"object\",\"description\":\"This document (OpenAPI 3.0).\",\"required\":[\"openapi\",\"info\","
	 "\"paths\"],\"properties\":{\"openapi\":" STR ",\"info\":" ANY_OBJECT ",\"paths\":" ANY_OBJECT "},"
	 "\"additionalProperties\":true}"},
	{"HtmlPage", "{\"type\":\"string\",\"x-content-type\":\"text/html\"}"},
	{"MetricsText", "{\"type\":\"string\",\"description\":\"The Prometheus text exposition format 0.0.4.\","
	 "\"x-content-type\":\"text/plain; version=0.0.4; charset=utf-8\"}"},

	/* ---- login and OAuth (§16.3, §16.4): forms ---- */
	{"LoginForm",
	 "{\"type\":\"object\",\"x-content-type\":\"application/x-www-form-urlencoded\",\"required\":[\"email\","
	 "\"password\",\"csrfmiddlewaretoken\"],\"properties\":{\"email\":" STR ",\"password\":{\"type\":\"string\","
	 "\"format\":\"password\"},\"csrfmiddlewaretoken\":" STR ",\"next\":{\"type\":\"string\","
	 "\"description\":\"A same-origin path to go to afterwards.\"}}}"},
	{"LogoutForm",
	 "{\"type\":\"object\",\"x-content-type\":\"application/x-www-form-urlencoded\",\"required\":"
	 "[\"csrfmiddlewaretoken\"],\"properties\":{\"csrfmiddlewaretoken\":" STR "}}"},
	{"AuthorizeForm",
	 "{\"type\":\"object\",\"x-content-type\":\"application/x-www-form-urlencoded\",\"required\":"
	 "[\"csrfmiddlewaretoken\"],\"properties\":{\"csrfmiddlewaretoken\":" STR ",\"allow\":{\"type\":\"string\","
	 "\"description\":\"Present: grant; absent: deny.\"},\"team\":{\"type\":\"string\",\"description\":"
	 "\"The slug of the team to grant.\"}},\"additionalProperties\":" STR "}"},
	{"OAuthTokenRequest",
	 "{\"type\":\"object\",\"x-content-type\":\"application/x-www-form-urlencoded\",\"required\":"
	 "[\"grant_type\"],\"properties\":{\"grant_type\":{\"type\":\"string\",\"enum\":[\"authorization_code\","
	 "\"refresh_token\",\"client_credentials\"]},\"code\":" STR ",\"code_verifier\":" STR ",\"redirect_uri\":"
	 URI ",\"refresh_token\":" STR ",\"scope\":" STR ",\"client_id\":" STR ",\"client_secret\":" STR "}}"},
	{"OAuthToken",
	 "{\"type\":\"object\",\"required\":[\"access_token\",\"expires_in\",\"token_type\",\"scope\"],"
	 "\"properties\":{\"access_token\":" STR ",\"expires_in\":{\"type\":\"integer\"},\"token_type\":"
	 "{\"type\":\"string\",\"enum\":[\"Bearer\"]},\"scope\":" STR ",\"refresh_token\":{\"type\":\"string\","
	 "\"description\":\"Absent for a machine token (client_credentials).\"}},"
	 "\"example\":{\"access_token\":\"Qm9hdG1hbi4uLg\",\"expires_in\":36000,\"token_type\":\"Bearer\","
	 "\"scope\":\"sessions:read chatbots:read\",\"refresh_token\":\"c2Vjb25kLi4u\"}}"},
	{"OAuthRevokeRequest",
	 "{\"type\":\"object\",\"x-content-type\":\"application/x-www-form-urlencoded\",\"required\":[\"token\"],"
	 "\"properties\":{\"token\":" STR ",\"token_type_hint\":" STR ",\"client_id\":" STR ",\"client_secret\":"
	 STR "}}"},
	{NULL, NULL},
};
