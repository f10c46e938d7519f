"""A fake OpenTelemetry collector: receives OTLP/HTTP protobuf exports (POST /v1/traces) and keeps the spans."""

from __future__ import annotations

from dataclasses import dataclass

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from tests.fakes._server import Call, FakeServer, Reply


@dataclass(frozen=True)
class ReceivedSpan:
    service: str
    name: str
    trace_id: str
    span_id: str
    parent_id: str
    start_ns: int
    end_ns: int
    attributes: dict[str, str]


class FakeCollector(FakeServer):
    def handle(self, call: Call) -> Reply:
        if call.method != "POST" or call.path != "/v1/traces":
            return Reply(404, {"error": "not found"})
        return Reply(raw=b"", content_type="application/x-protobuf")

    def spans(self) -> list[ReceivedSpan]:
        with self.lock:
            bodies = [c.body for c in self.calls if c.path == "/v1/traces"]
        found: list[ReceivedSpan] = []
        for body in bodies:
            request = ExportTraceServiceRequest()
            request.ParseFromString(body)
            for resource in request.resource_spans:
                attrs = {a.key: a.value.string_value for a in resource.resource.attributes}
                for scope in resource.scope_spans:
                    for span in scope.spans:
                        found.append(
                            ReceivedSpan(
                                service=attrs.get("service.name", ""), name=span.name,
                                trace_id=span.trace_id.hex(), span_id=span.span_id.hex(),
                                parent_id=span.parent_span_id.hex(), start_ns=span.start_time_unix_nano,
                                end_ns=span.end_time_unix_nano,
                                attributes={a.key: a.value.string_value or str(a.value.int_value) for a in span.attributes},
                            )
                        )  # fmt: skip
        return found
