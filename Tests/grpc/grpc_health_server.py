#!/usr/bin/env python3
"""A real gRPC health server (grpcio's own grpc.health.v1 servicer) for the tests of Tandem's
hand-written grpc probe: prints the port it listens on, serves until its standard input closes.

The overall health ("") is SERVING, the service "down" is NOT_SERVING, and any service named
on the command line is SERVING too.
"""
import sys
from concurrent import futures

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
servicer = health.HealthServicer()
servicer.set("", health_pb2.HealthCheckResponse.SERVING)
servicer.set("down", health_pb2.HealthCheckResponse.NOT_SERVING)
for name in sys.argv[1:]:
    servicer.set(name, health_pb2.HealthCheckResponse.SERVING)
health_pb2_grpc.add_HealthServicer_to_server(servicer, server)
port = server.add_insecure_port("127.0.0.1:0")
server.start()
print(port, flush=True)
sys.stdin.read()
server.stop(0)
