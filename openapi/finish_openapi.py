#!/usr/bin/env python3
"""Turns protoc-gen-swagger's per-file output into Confide's OpenAPI (Swagger 2.0) document.

protoc-gen-swagger (grpc-gateway 1.6.4, Debian's golang-grpc-gateway) writes one document per
.proto file. It is run per file rather than with allow_merge=true because the merged mode takes
every rpc's comment from the first file only (all other operations lose their summaries). This
script merges the documents and completes what that generator leaves out, reading the protos'
descriptor set (protoc --descriptor_set_out --include_source_info) for comments, HTTP rules and
request fields:

- info (title, version, description, contact, license), host, schemes;
- one tag per service, described by the service's comment;
- summaries (from the rpc name) and descriptions (the rpc's comment) for every operation;
- security: a Bearer session token or the portal's session cookie, except on public RPCs;
- the google.rpc.Status error answers (400, 401, 403, 404, 409, 429) on every operation;
- the query parameters of operations whose body is one field (request_id, update_mask), which
  the generator omits, and lowerCamelCase names for every query parameter;
- path templates that bind a field of the body (`{entry.id}`) get the plain names their sibling
  routes use (`{entry_id}`), so each URL shape is one path item;
- no `$ref` with sibling keywords, no unused definitions.

It writes the JSON document and, with --cc, a C++ source embedding it for
openapi/openapi_document.h. Python 3 standard library only.
"""

import argparse
import json
import pathlib
import re
import sys

TITLE = "Confide API"
HOST = "localhost:8080"
CONTACT = {"name": "Confide maintainers"}
# The repository carries no licence file: all rights reserved until one is chosen.
LICENSE = {"name": "Proprietary (all rights reserved)"}

DESCRIPTION = """\
The REST face of Confide, a practice-management system for sex therapists and pelvic-floor \
physiotherapists and their patients. Every operation is also a gRPC method of the same name \
(package `confide.v1`); the request and response messages are the same, in JSON with \
lowerCamelCase field names and enums as their names.

**Walk-through with curl:** `docs/api.md` in the repository (sign-in for patients and \
clinicians, the portal cookie and CSRF header, errors, paging, etags, safe retries).

**Signing in.** `POST /v1/auth/login` returns a `sessionToken`; send it as \
`Authorization: Bearer <token>`. Clinicians and other staff add a six-digit `totpCode`. \
The patient portal instead sends `X-Confide-Session: cookie` with the login and is \
authenticated by the `__Host-confide-session` cookie, echoing the `__Host-confide-csrf` \
cookie in `X-CSRF-Token` on every request that is not a GET.

**`me`.** A patient uses `me` as `client_id` in every `/v1/clients/{client_id}/...` path.

**Errors** are `google.rpc.Status` JSON: `{"code": 3, "message": "...", "details": [...]}`, \
with the HTTP status of the canonical mapping; field problems carry a \
`google.rpc.BadRequest` detail whose `fieldViolations` name the fields. A record the caller \
may not see answers 404, exactly as if it did not exist.

**Lists** take `pageSize` (default 50, at most 500) and the previous answer's \
`nextPageToken` as `pageToken`. **Updates** carry the record's `etag` and an `updateMask` \
query parameter; a stale etag answers 409 (`ABORTED`). **Creates** that a phone may retry take \
a client-chosen `requestId` (a UUID): a replay returns the first result."""

PUBLIC_OPERATIONS = {"Login", "RequestPasswordReset", "ResetPassword", "AcceptInvitation"}

# Additional HTTP bindings get "<Rpc>2" from the generator; these are their names here.
OPERATION_RENAMES = {"ListClients2": "SearchClients"}
OPERATION_NOTES = {
    "SearchClients":
        "The same RPC as `ListClients` (`GET /v1/clients`) with its fields in the body, so a "
        "name searched for never appears in a URL.",
}

ERROR_RESPONSES = {
    "400": ("BadRequest", "INVALID_ARGUMENT or FAILED_PRECONDITION: the request is malformed or "
            "not allowed in the record's current state. `details` holds a google.rpc.BadRequest "
            "naming the fields."),
    "401": ("Unauthenticated", "UNAUTHENTICATED: no session, an ended session, or wrong "
            "sign-in details."),
    "403": ("PermissionDenied", "PERMISSION_DENIED: the caller's role may not do this (or, for "
            "a portal cookie session, the X-CSRF-Token header is missing or wrong)."),
    "404": ("NotFound", "NOT_FOUND: no such record, or one the caller may not see."),
    "409": ("Conflict", "ABORTED (the etag is stale: read the record again) or ALREADY_EXISTS."),
    "429": ("TooManyRequests", "RESOURCE_EXHAUSTED: too many attempts (sign-in is limited per "
            "client address); wait for Retry-After seconds."),
}

# Generic message types the descriptor set reports as messages but JSON carries as text.
URL_MESSAGE_TYPES = {
    ".google.protobuf.FieldMask": {
        "type": "string",
        "description": "The fields of the body to change: comma-separated lowerCamelCase paths, "
                       "e.g. `title,patientMessage`.",
    },
    ".google.protobuf.Timestamp": {"type": "string", "format": "date-time"},
}

# FieldDescriptorProto.Type → Swagger type and format, as protoc-gen-swagger writes them.
SCALAR_TYPES = {
    1: ("number", "double"), 2: ("number", "float"), 3: ("string", "int64"),
    4: ("string", "uint64"), 5: ("integer", "int32"), 6: ("string", "uint64"),
    7: ("integer", "int64"), 8: ("boolean", "boolean"), 9: ("string", None),
    12: ("string", "byte"), 13: ("integer", "int64"), 15: ("integer", "int32"),
    16: ("string", "int64"), 17: ("integer", "int32"), 18: ("string", "int64"),
}
TYPE_MESSAGE = 11
TYPE_ENUM = 14
LABEL_REPEATED = 3
HTTP_RULE_EXTENSION = 72295728
HTTP_VERBS = {2: "get", 3: "put", 4: "post", 5: "delete", 6: "patch"}


# --- A minimal protobuf wire-format reader, enough for descriptor.proto -------------------------

def _varint(data, pos):
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7


def _fields(data):
    """Yields (field number, value) pairs: ints for varints, bytes for length-delimited."""
    pos = 0
    while pos < len(data):
        key, pos = _varint(data, pos)
        number, wire_type = key >> 3, key & 7
        if wire_type == 0:
            value, pos = _varint(data, pos)
        elif wire_type == 2:
            length, pos = _varint(data, pos)
            value = data[pos:pos + length]
            pos += length
        elif wire_type == 1:
            value, pos = data[pos:pos + 8], pos + 8
        elif wire_type == 5:
            value, pos = data[pos:pos + 4], pos + 4
        else:
            raise ValueError(f"unsupported wire type {wire_type}")
        yield number, value


def _text(value):
    return value.decode("utf-8")


class Descriptors:
    """Messages, enums and services of a FileDescriptorSet, with their leading comments."""

    def __init__(self, data):
        self.messages = {}  # ".pkg.Name" -> list of field dicts
        self.enums = {}  # ".pkg.Name" -> list of value names
        self.services = []  # dicts: name, comment, methods
        for number, value in _fields(data):
            if number == 1:
                self._file(value)

    def _file(self, data):
        package, messages, enums, services, comments = "", [], [], [], {}
        for number, value in _fields(data):
            if number == 2:
                package = _text(value)
            elif number == 4:
                messages.append(value)
            elif number == 5:
                enums.append(value)
            elif number == 6:
                services.append(value)
            elif number == 9:
                comments = self._comments(value)
        scope = f".{package}" if package else ""
        for index, message in enumerate(messages):
            self._message(message, scope, (4, index), comments)
        for enum in enums:
            self._enum(enum, scope)
        for index, service in enumerate(services):
            self._service(service, package, (6, index), comments)

    @staticmethod
    def _comments(data):
        comments = {}
        for number, location in _fields(data):
            if number != 1:
                continue
            path, leading = (), ""
            for field, value in _fields(location):
                if field == 1:
                    if isinstance(value, bytes):  # packed
                        pos, items = 0, []
                        while pos < len(value):
                            item, pos = _varint(value, pos)
                            items.append(item)
                        path += tuple(items)
                    else:
                        path += (value,)
                elif field == 3:
                    leading = _text(value)
            if leading:
                comments[path] = leading
        return comments

    def _message(self, data, scope, path, comments):
        name, fields, nested, enums = "", [], [], []
        for number, value in _fields(data):
            if number == 1:
                name = _text(value)
            elif number == 2:
                fields.append(value)
            elif number == 3:
                nested.append(value)
            elif number == 4:
                enums.append(value)
        full_name = f"{scope}.{name}"
        parsed = []
        for index, field in enumerate(fields):
            info = {"label": 1, "type_name": "", "json_name": "",
                    "comment": comments.get(path + (2, index), "")}
            for number, value in _fields(field):
                if number == 1:
                    info["name"] = _text(value)
                elif number == 4:
                    info["label"] = value
                elif number == 5:
                    info["type"] = value
                elif number == 6:
                    info["type_name"] = _text(value)
                elif number == 10:
                    info["json_name"] = _text(value)
            info["json_name"] = info["json_name"] or camel(info["name"])
            parsed.append(info)
        self.messages[full_name] = parsed
        for index, message in enumerate(nested):
            self._message(message, full_name, path + (3, index), comments)
        for enum in enums:
            self._enum(enum, full_name)

    def _enum(self, data, scope):
        name, values = "", []
        for number, value in _fields(data):
            if number == 1:
                name = _text(value)
            elif number == 2:
                values += [_text(v) for n, v in _fields(value) if n == 1]
        self.enums[f"{scope}.{name}"] = values

    def _service(self, data, package, path, comments):
        service = {"name": "", "comment": comments.get(path, ""), "methods": []}
        methods = []
        for number, value in _fields(data):
            if number == 1:
                service["name"] = _text(value)
            elif number == 2:
                methods.append(value)
        for index, method_data in enumerate(methods):
            method = {"comment": comments.get(path + (2, index), ""), "rules": []}
            for number, value in _fields(method_data):
                if number == 1:
                    method["name"] = _text(value)
                elif number == 2:
                    method["input_type"] = _text(value)
                elif number == 4:
                    for option, rule in _fields(value):
                        if option == HTTP_RULE_EXTENSION:
                            method["rules"] = self._http_rules(rule)
            service["methods"].append(method)
        service["full_name"] = f"{package}.{service['name']}"
        self.services.append(service)

    @classmethod
    def _http_rules(cls, data):
        rule, additional = {"body": ""}, []
        for number, value in _fields(data):
            if number in HTTP_VERBS:
                rule["verb"], rule["path"] = HTTP_VERBS[number], _text(value)
            elif number == 7:
                rule["body"] = _text(value)
            elif number == 11:
                additional += cls._http_rules(value)
        return [rule] + additional


# --- Helpers ---------------------------------------------------------------------------------------

def camel(snake):
    """protoc's json_name: lower_snake_case → lowerCamelCase, per dotted segment."""
    return ".".join(re.sub(r"_([a-z0-9])", lambda m: m.group(1).upper(), part)
                    for part in snake.split("."))


def paragraphs(comment):
    """A proto comment as Markdown: lines of a paragraph joined, paragraphs kept apart."""
    blocks, current = [], []
    for line in comment.splitlines():
        line = line.strip()
        if line:
            current.append(line)
        elif current:
            blocks.append(" ".join(current))
            current = []
    if current:
        blocks.append(" ".join(current))
    return "\n\n".join(blocks)


ACRONYMS = {"totp": "TOTP", "id": "ID"}


def humanize(operation_id):
    words = re.findall(r"[A-Z][a-z0-9]*", operation_id)
    words = [ACRONYMS.get(w.lower(), w.lower()) for w in words]
    text = " ".join(words)
    return text[0].upper() + text[1:]


def template_key(path):
    """A path template with its variable names blanked: `/v1/a/{x}` → `/v1/a/{}`."""
    return re.sub(r"\{[^}]*\}", "{}", path)


def plain_variable(name):
    """The name sibling routes use for a body-bound variable: entry.id → entry_id,
    intake.client_id → client_id."""
    head, _, leaf = name.rpartition(".")
    head = head.rpartition(".")[2]
    return f"{head}_id" if leaf == "id" else leaf


def walk_refs(node, found):
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/definitions/"):
            found.add(ref[len("#/definitions/"):])
        for value in node.values():
            walk_refs(value, found)
    elif isinstance(node, list):
        for value in node:
            walk_refs(value, found)


def lift_ref_siblings(node):
    """`{"$ref": X, "description": D}` is not valid Swagger 2.0 (siblings of $ref are
    ignored); `{"allOf": [{"$ref": X}], "description": D}` says the same validly."""
    if isinstance(node, dict):
        for value in node.values():
            lift_ref_siblings(value)
        if "$ref" in node and len(node) > 1:
            node["allOf"] = [{"$ref": node.pop("$ref")}]
    elif isinstance(node, list):
        for value in node:
            lift_ref_siblings(value)


# --- The document --------------------------------------------------------------------------------

def merge(swagger_files):
    paths, definitions = {}, {}
    for swagger_file in swagger_files:
        document = json.loads(pathlib.Path(swagger_file).read_text(encoding="utf-8"))
        for path, item in document.get("paths", {}).items():
            for verb, operation in item.items():
                if verb in paths.setdefault(path, {}):
                    raise SystemExit(f"{swagger_file}: {verb} {path} is defined twice")
                paths[path][verb] = operation
        for name, schema in document.get("definitions", {}).items():
            if name in definitions and definitions[name] != schema:
                raise SystemExit(f"{swagger_file}: definition {name} differs between files")
            definitions[name] = schema
    return paths, definitions


def query_parameter(field, descriptors):
    """A Swagger query parameter for a request field that a URL can set, or None."""
    schema = {}
    if field["type"] == TYPE_MESSAGE:
        if field["type_name"] not in URL_MESSAGE_TYPES:
            return None
        schema = dict(URL_MESSAGE_TYPES[field["type_name"]])
    elif field["type"] == TYPE_ENUM:
        schema = {"type": "string", "enum": descriptors.enums[field["type_name"]]}
    else:
        kind, fmt = SCALAR_TYPES[field["type"]]
        schema = {"type": kind}
        if fmt:
            schema["format"] = fmt
    description = paragraphs(field["comment"]) or schema.pop("description", "")
    schema.pop("description", None)
    parameter = {"name": field["json_name"], "in": "query", "required": False}
    if description:
        parameter["description"] = description
    if field["label"] == LABEL_REPEATED:
        parameter.update({"type": "array", "items": schema, "collectionFormat": "multi"})
    else:
        parameter.update(schema)
    return parameter


def build(swagger_files, descriptors, version):
    raw_paths, definitions = merge(swagger_files)

    # The descriptor's view of every route: (verb, template shape) → rpc.
    routes, tags = {}, []
    for service in descriptors.services:
        tags.append({"name": service["name"],
                     "description": paragraphs(service["comment"]) or service["name"]})
        for method in service["methods"]:
            for rule in method["rules"]:
                key = (rule["verb"], template_key(rule["path"]))
                routes[key] = {"service": service, "method": method, "rule": rule}

    paths = {}
    for raw_path, item in raw_paths.items():
        # Body-bound variables ({entry.id}) take their siblings' plain names ({entry_id}).
        renamed = {name: plain_variable(name) for name in re.findall(r"\{([^}=]+)", raw_path)
                   if "." in name}
        path = raw_path
        for old, new in renamed.items():
            path = path.replace("{" + old + "}", "{" + new + "}")
        for verb, operation in item.items():
            route = routes.get((verb, template_key(raw_path)))
            if route is None:
                raise SystemExit(f"no HTTP rule in the descriptors for {verb} {raw_path}")
            finish_operation(operation, route, renamed, descriptors)
            if verb in paths.setdefault(path, {}):
                raise SystemExit(f"{verb} {path} is defined twice")
            paths[path][verb] = operation

    documented = {(verb, template_key(path)) for path, item in raw_paths.items() for verb in item}
    missing = sorted(f"{verb} {shape}" for verb, shape in routes if (verb, shape) not in documented)
    if missing:
        raise SystemExit(f"HTTP rules without an operation: {', '.join(missing)}")

    definitions["googleRpcStatus"] = {
        "type": "object",
        "description": "The error answer of every operation (google.rpc.Status).",
        "properties": {
            "code": {"type": "integer", "format": "int32",
                     "description": "The google.rpc.Code, e.g. 3 for INVALID_ARGUMENT."},
            "message": {"type": "string",
                        "description": "A safe, human-readable explanation (never patient data)."},
            "details": {"type": "array", "items": {"$ref": "#/definitions/protobufAny"},
                        "description": "E.g. a google.rpc.BadRequest with `fieldViolations` "
                                       "[{`field`, `description`}]."},
        },
    }
    definitions["protobufAny"] = {
        "type": "object",
        "description": "A detail message, named by `@type` "
                       "(e.g. `type.googleapis.com/google.rpc.BadRequest`), its fields inline.",
        "properties": {"@type": {"type": "string"}},
        "additionalProperties": {},
    }

    document = {
        "swagger": "2.0",
        "info": {"title": TITLE, "version": version, "description": DESCRIPTION,
                 "contact": CONTACT, "license": LICENSE},
        "host": HOST,
        "schemes": ["https"],
        "consumes": ["application/json"],
        "produces": ["application/json"],
        "tags": sorted(tags, key=lambda t: t["name"]),
        "securityDefinitions": {
            "bearerToken": {
                "type": "apiKey", "in": "header", "name": "Authorization",
                "description": "`Bearer <sessionToken>`, the token `POST /v1/auth/login` returned "
                               "(for API clients and scripts).",
            },
            "portalSession": {
                "type": "apiKey", "in": "header", "name": "X-CSRF-Token",
                "description": "The patient portal's browser session. `POST /v1/auth/login` with "
                               "header `X-Confide-Session: cookie` sets the HttpOnly cookie "
                               "`__Host-confide-session` (it authenticates every later request "
                               "from the browser) and the readable cookie `__Host-confide-csrf`. "
                               "Every request other than GET must send that cookie's value in "
                               "the `X-CSRF-Token` header, or it is refused with 403. "
                               "`POST /v1/auth/logout` clears both cookies. A Bearer header wins "
                               "when both are present.",
            },
        },
        "security": [{"bearerToken": []}, {"portalSession": []}],
        "paths": {path: paths[path] for path in sorted(paths)},
        "definitions": definitions,
        "responses": {
            name: {"description": description,
                   "schema": {"$ref": "#/definitions/googleRpcStatus"}}
            for name, description in ERROR_RESPONSES.values()
        },
    }
    document["responses"]["TooManyRequests"]["headers"] = {
        "Retry-After": {"type": "integer", "description": "Seconds to wait before trying again."}
    }

    lift_ref_siblings(document["paths"])
    lift_ref_siblings(document["definitions"])
    prune_definitions(document)
    return document


def finish_operation(operation, route, renamed, descriptors):
    method, rule, service = route["method"], route["rule"], route["service"]
    operation_id = OPERATION_RENAMES.get(operation["operationId"], operation["operationId"])
    if re.search(r"\d$", operation_id):
        raise SystemExit(f"name the additional binding {operation_id} in OPERATION_RENAMES")
    operation["operationId"] = operation_id
    operation["tags"] = [service["name"]]
    operation["summary"] = humanize(operation_id)
    description = paragraphs(method["comment"])
    if operation_id in OPERATION_NOTES:
        description = f"{OPERATION_NOTES[operation_id]}\n\n{description}"
    if method["name"] in PUBLIC_OPERATIONS:
        description += "\n\nNeeds no session."
        operation["security"] = []
    operation["description"] = description.strip() or operation["summary"] + "."

    parameters = operation.setdefault("parameters", [])
    for parameter in parameters:
        if parameter["in"] == "path" and parameter["name"] in renamed:
            bound = parameter["name"]
            parameter["name"] = renamed[bound]
            parameter["description"] = (f"Sets `{camel(bound)}` of the request body "
                                        "(a value given in the body is overridden).")
        elif parameter["in"] == "query":
            parameter["name"] = camel(parameter["name"])

    # The generator lists no query parameters when the body is one field of the request.
    body = rule["body"]
    if body and body != "*":
        bound = {name.split(".")[0] for name in re.findall(r"\{([^}=]+)", rule["path"])}
        present = {p["name"] for p in parameters}
        for field in descriptors.messages[method["input_type"]]:
            if field["name"] == body or field["name"] in bound:
                continue
            parameter = query_parameter(field, descriptors)
            if parameter is not None and parameter["name"] not in present:
                parameters.append(parameter)
    if method["name"] == "Login":
        parameters.append({
            "name": "X-Confide-Session", "in": "header", "required": False, "type": "string",
            "enum": ["cookie"],
            "description": "`cookie` (the patient portal): the session goes into the HttpOnly "
                           "`__Host-confide-session` cookie (with `__Host-confide-csrf` for the "
                           "X-CSRF-Token header) and the answer has no `sessionToken`.",
        })
    if not parameters:
        del operation["parameters"]

    responses = operation["responses"]
    responses["200"]["description"] = "The answer."
    if method["name"] == "Login":
        responses["200"]["headers"] = {"Set-Cookie": {
            "type": "string",
            "description": "Only with `X-Confide-Session: cookie`: the session cookie "
                           "`__Host-confide-session` (HttpOnly) and the CSRF cookie "
                           "`__Host-confide-csrf`, both Secure, SameSite=Strict, Path=/.",
        }}
    for status, (name, _) in ERROR_RESPONSES.items():
        responses.setdefault(status, {"$ref": f"#/responses/{name}"})


def prune_definitions(document):
    """Drops definitions nothing refers to (e.g. an enum used only by another RPC's
    request, which the generator still emits)."""
    while True:
        used = set()
        walk_refs({k: v for k, v in document.items() if k != "definitions"}, used)
        changed = True
        while changed:
            changed = False
            for name in list(used):
                before = len(used)
                walk_refs(document["definitions"].get(name, {}), used)
                changed |= len(used) != before
        unused = set(document["definitions"]) - used
        if not unused:
            return
        for name in unused:
            del document["definitions"][name]


def write_cc(document_bytes, path):
    lines = []
    for start in range(0, len(document_bytes), 20):
        chunk = document_bytes[start:start + 20]
        lines.append("    " + ",".join(str(b) for b in chunk) + ",")
    # Bytes (unsigned: the JSON holds UTF-8), not a string literal: compilers cap literal length (MSVC ~16 KiB, and
    # GCC warns past 4095 characters with -Woverlength-strings).
    source = (
        "// Generated by openapi/finish_openapi.py from the protos: do not edit.\n"
        '#include "openapi/openapi_document.h"\n\n'
        "namespace confide::openapi {\n"
        "namespace {\n\n"
        f"constexpr unsigned char kDocument[{len(document_bytes)}] = {{\n"
        + "\n".join(lines) + "\n};\n\n"
        "}  // namespace\n\n"
        "std::string_view OpenApiDocument() {\n"
        "  return {reinterpret_cast<const char*>(kDocument), sizeof kDocument};\n"
        "}\n\n"
        "}  // namespace confide::openapi\n"
    )
    pathlib.Path(path).write_text(source, encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--descriptor-set", required=True,
                        help="protoc --descriptor_set_out output (with --include_source_info)")
    parser.add_argument("--swagger-dir", required=True,
                        help="protoc-gen-swagger's output folder (one *.swagger.json per file)")
    parser.add_argument("--version", required=True, help="the API document's version")
    parser.add_argument("--out", required=True, help="the OpenAPI JSON to write")
    parser.add_argument("--cc", help="also write a C++ source embedding the document")
    args = parser.parse_args()

    swagger_files = sorted(pathlib.Path(args.swagger_dir).rglob("*.swagger.json"))
    if not swagger_files:
        raise SystemExit(f"no *.swagger.json under {args.swagger_dir}")
    descriptors = Descriptors(pathlib.Path(args.descriptor_set).read_bytes())
    document = build(swagger_files, descriptors, args.version)
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    pathlib.Path(args.out).write_text(text, encoding="utf-8")
    if args.cc:
        write_cc(text.encode("utf-8"), args.cc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
