//! The OpenAPI document as the server really answers. utoipa writes what each handler declares;
//! this adds, in one place, what every operation shares: the problems the extractors and layers
//! answer (400, 401, 403, 404, 409, 413, 415, 422), the `Idempotency-Key` header of every POST,
//! each request body's required fields, the rule that text holds no control characters, and
//! an operation id of its own for each operation.

use serde_json::{json, Map, Value};

/// The fields each request must send (the same body type serves a POST, where a record is made,
/// and a PATCH, where only `version` is needed).
const REQUIRED: &[(&str, &str, &[&str])] = &[
    ("post", "/api/v1/people", &["name", "service_id"]),
    ("patch", "/api/v1/people/{id}", &["version"]),
    (
        "post",
        "/api/v1/people/{id}/contacts",
        &["channel", "direction", "summary"],
    ),
    ("post", "/api/v1/people/{id}/consents", &["kind", "given"]),
    ("post", "/api/v1/groups", &["name", "service_id"]),
    ("patch", "/api/v1/groups/{id}", &["version"]),
    ("post", "/api/v1/groups/{id}/members", &["role"]),
    ("patch", "/api/v1/meetings/{id}", &["version"]),
    (
        "put",
        "/api/v1/meetings/{id}/attendance",
        &["version", "lines"],
    ),
    ("post", "/api/v1/meetings/{id}/actions", &["description"]),
    (
        "post",
        "/api/v1/projects",
        &["name", "service_id", "starts_on", "ladder"],
    ),
    ("patch", "/api/v1/projects/{id}", &["version"]),
    (
        "post",
        "/api/v1/opportunities",
        &[
            "title",
            "kind",
            "service_id",
            "starts_on",
            "place",
            "places",
            "closes_on",
            "description",
            "visibility",
        ],
    ),
    (
        "post",
        "/api/v1/opportunities/{id}/interest",
        &["person_id"],
    ),
    (
        "post",
        "/api/v1/enquiries",
        &["name", "consent", "idempotency_key"],
    ),
    (
        "post",
        "/api/v1/concerns",
        &["service_id", "raised_by", "words", "severity"],
    ),
    (
        "post",
        "/api/v1/concerns/{id}/escalate",
        &["version", "owner_id"],
    ),
    (
        "post",
        "/api/v1/concerns/{id}/respond",
        &["version", "response"],
    ),
    (
        "post",
        "/api/v1/concerns/{id}/feed-back",
        &["version", "fed_back_way", "fed_back_on", "fed_back_by"],
    ),
    ("post", "/api/v1/concerns/{id}/close", &["version"]),
    (
        "post",
        "/api/v1/concerns/{id}/reopen",
        &["version", "reason"],
    ),
    (
        "post",
        "/api/v1/concerns/{id}/redirect",
        &["version", "redirect_to"],
    ),
    (
        "post",
        "/api/v1/improvements",
        &["service_id", "you_said", "we_did", "changed_on"],
    ),
    ("patch", "/api/v1/improvements/{id}", &["version"]),
    (
        "post",
        "/api/v1/reviews",
        &[
            "of",
            "held_on",
            "principles",
            "purpose",
            "presence",
            "process",
            "impact",
        ],
    ),
    ("post", "/api/v1/reviews/{id}/actions", &["description"]),
];

/// Text with no control characters other than tab, line feed and carriage return (see
/// `coproduce_domain::text`).
pub const TEXT_PATTERN: &str = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$";

fn problem(description: &str) -> Value {
    json!({
        "description": description,
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    })
}

/// The document, made true.
pub fn truthful(mut doc: Value) -> Value {
    if let Some(paths) = doc["paths"].as_object_mut() {
        for (path, item) in paths.iter_mut() {
            let Some(ops) = item.as_object_mut() else {
                continue;
            };
            for (method, op) in ops.iter_mut() {
                operation(path, method, op);
            }
        }
    }
    links(&mut doc);
    // Requests hold no control characters; answers may echo what was refused, so only the
    // schemas requests use get the rule.
    let mut requests = Vec::new();
    for op in doc["paths"]
        .as_object()
        .into_iter()
        .flat_map(|p| p.values())
        .flat_map(|i| i.as_object().into_iter().flat_map(|o| o.values()))
    {
        refs(&op["requestBody"], &mut requests);
    }
    let mut i = 0;
    while i < requests.len() {
        let schema = doc["components"]["schemas"][&requests[i]].clone();
        refs(&schema, &mut requests);
        i += 1;
    }
    if let Some(schemas) = doc["components"]["schemas"].as_object_mut() {
        for name in &requests {
            if let Some(schema) = schemas.get_mut(name) {
                text_rule(schema);
            }
        }
    }
    doc
}

/// Links from each POST that makes a record to the operations on it (`POST /api/v1/people` to
/// everything under `/api/v1/people/{id}`), so a client, or a fuzzer, can follow them.
fn links(doc: &mut Value) {
    let Some(paths) = doc["paths"].as_object() else {
        return;
    };
    let mut found: Vec<(String, String, String)> = Vec::new();
    for (made, item) in paths {
        if item["post"]["responses"].get("201").is_none() {
            continue;
        }
        let under = format!("{made}/{{id}}");
        for (path, ops) in paths {
            if *path != under && !path.starts_with(&format!("{under}/")) {
                continue;
            }
            for op in ops.as_object().into_iter().flat_map(|o| o.values()) {
                if let Some(id) = op["operationId"].as_str() {
                    found.push((made.clone(), id.to_owned(), path.clone()));
                }
            }
        }
    }
    for (made, id, _) in found {
        let response = &mut doc["paths"][&made]["post"]["responses"]["201"];
        if let Some(object) = response.as_object_mut() {
            let links = object.entry("links").or_insert_with(|| json!({}));
            links[&id] = json!({"operationId": id, "parameters": {"id": "$response.body#/id"}});
        }
    }
}

/// The component schemas `value` refers to, anywhere inside it, added to `found` once each.
fn refs(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(name) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
            {
                if !found.iter().any(|f| f == name) {
                    found.push(name.to_owned());
                }
            }
            map.values().for_each(|v| refs(v, found));
        }
        Value::Array(list) => list.iter().for_each(|v| refs(v, found)),
        _ => {}
    }
}

fn operation(path: &str, method: &str, op: &mut Value) {
    op["operationId"] = json!(format!(
        "{method}{}",
        path.trim_start_matches("/api/v1")
            .replace(['/', '-'], "_")
            .replace(['{', '}'], "")
    ));
    let has_body = op.get("requestBody").is_some();
    let has_query = op
        .get("parameters")
        .and_then(Value::as_array)
        .is_some_and(|ps| ps.iter().any(|p| p["in"] == "query"));
    let mut add: Vec<(&str, &str)> = vec![
        (
            "401",
            "No token, or one that is forged, revoked or expired.",
        ),
        ("403", "The token's staff member may not do this."),
    ];
    if path.contains('{') {
        add.push(("400", "A path parameter or the body is not acceptable."));
        add.push((
            "404",
            "There is no such record, or it is outside the token's services.",
        ));
    }
    if has_query {
        add.push(("400", "A query parameter is not acceptable."));
    }
    if has_body {
        add.push(("400", "The body is not JSON."));
        add.push(("413", "The body is over a megabyte."));
        add.push(("415", "The body is not sent as application/json."));
        add.push((
            "422",
            "A field is missing or not acceptable; each is named.",
        ));
    }
    if method == "patch" || method == "put" {
        add.push((
            "409",
            "Someone else saved the record first (a stale version).",
        ));
    }
    if method == "post" {
        add.push((
            "409",
            "A request with this Idempotency-Key is still being answered.",
        ));
        add.push((
            "422",
            "This Idempotency-Key was sent before with another request.",
        ));
        idempotency_header(op);
    }
    if let Some(responses) = op["responses"].as_object_mut() {
        for (status, description) in add {
            responses
                .entry(status)
                .or_insert_with(|| problem(description));
        }
    }
    if let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) {
        for p in params {
            if let Some(schema) = p.get_mut("schema") {
                text_rule(schema);
            }
        }
    }
    let required = REQUIRED
        .iter()
        .find(|(m, p, _)| *m == method && *p == path)
        .map(|(_, _, fields)| *fields);
    if let (Some(fields), Some(body)) = (required, op.get_mut("requestBody")) {
        let schema = &mut body["content"]["application/json"]["schema"];
        let whole = schema.take();
        // A required field must also have a value: not null, not empty, an id from 1.
        let present: Map<String, Value> = fields
            .iter()
            .map(|f| {
                (
                    (*f).to_owned(),
                    json!({"not": {"type": "null"}, "minLength": 1, "minimum": 1}),
                )
            })
            .collect();
        *schema = json!({"allOf": [whole], "required": fields, "properties": present});
    }
}

fn idempotency_header(op: &mut Value) {
    let header = json!({
        "name": "Idempotency-Key",
        "in": "header",
        "required": false,
        "description": "Makes a retry safe: the same key and request get the first answer (marked `Idempotent-Replayed: true`) for 24 hours. 1 to 255 printable ASCII characters; an empty one is no key.",
        "schema": {"type": "string", "maxLength": 255, "pattern": "^[ -~]*$"}
    });
    match op.get_mut("parameters").and_then(Value::as_array_mut) {
        Some(params) => {
            params.retain(|p| p["name"] != "Idempotency-Key");
            params.push(header);
        }
        None => op["parameters"] = json!([header]),
    }
}

fn is_string(schema: &Map<String, Value>) -> bool {
    match &schema.get("type") {
        Some(Value::String(t)) => t == "string",
        Some(Value::Array(ts)) => ts.iter().any(|t| t == "string"),
        _ => false,
    }
}

/// Adds the text rule to every string that has no other rule for its characters.
fn text_rule(schema: &mut Value) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    let free = ["enum", "pattern", "format", "const"]
        .iter()
        .all(|k| !object.contains_key(*k));
    if is_string(object) && free {
        object.insert("pattern".into(), json!(TEXT_PATTERN));
    }
    for key in ["properties"] {
        if let Some(props) = object.get_mut(key).and_then(Value::as_object_mut) {
            for p in props.values_mut() {
                text_rule(p);
            }
        }
    }
    for key in ["items", "additionalProperties"] {
        if let Some(inner) = object.get_mut(key) {
            text_rule(inner);
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(list) = object.get_mut(key).and_then(Value::as_array_mut) {
            for s in list {
                text_rule(s);
            }
        }
    }
}
