"""The bittensor SDK reading the whole network, for `cargo xtask bench`'s side-by-side comparison.

Usage: bench.py RPC_PORT BLOCK PARALLEL...  ->  one `BENCH {json}` line.

For each PARALLEL (metagraphs in flight at once; 1 is a plain loop), a fresh SDK client connects
to the node at 127.0.0.1:RPC_PORT through a local TCP proxy that counts the bytes each way, reads
the subnet list and then every subnet's metagraph at BLOCK with its typed reads, as a user's
script would. Prints the time to connect, to the subnet list, to the first metagraph and to the
last, the bytes received, and any read that failed, named. Never pass/fail.
"""

import asyncio
import json
import sys
import time

import bittensor as bt


class CountingProxy:
    """Forwards 127.0.0.1:<port> to the node's RPC port, counting bytes in each direction."""

    def __init__(self, upstream_port: int):
        self.upstream_port = upstream_port
        self.received = 0  # node -> SDK
        self.sent = 0  # SDK -> node
        self.server = None

    async def start(self) -> int:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return self.server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        self.server.close()
        await self.server.wait_closed()

    async def _serve(self, client_reader, client_writer):
        node_reader, node_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)

        async def pipe(reader, writer, count):
            try:
                while chunk := await reader.read(65536):
                    count(len(chunk))
                    writer.write(chunk)
                    await writer.drain()
            except (ConnectionError, asyncio.CancelledError):
                pass
            finally:
                writer.close()

        def add_received(n):
            self.received += n

        def add_sent(n):
            self.sent += n

        await asyncio.gather(
            pipe(node_reader, client_writer, add_received),
            pipe(client_reader, node_writer, add_sent),
        )


async def whole_network(rpc_port: int, block: int, parallel: int) -> dict:
    proxy = CountingProxy(rpc_port)
    port = await proxy.start()
    started = time.perf_counter()
    elapsed_ms = lambda: round((time.perf_counter() - started) * 1000)
    client = bt.Client(f"ws://127.0.0.1:{port}", fallback_endpoints=[], archive_endpoints=[])
    failures = []
    try:
        async with client:
            snapshot = await client.at(block)
            connect_ms, connect_bytes = elapsed_ms(), proxy.received
            subnets = await snapshot.subnets.subnets()
            subnet_list_ms = elapsed_ms()
            netuids = [s.netuid for s in subnets]
            gate = asyncio.Semaphore(parallel)
            first = []
            neurons = 0

            async def metagraph(netuid):
                nonlocal neurons
                async with gate:
                    try:
                        read = await snapshot.subnets.metagraph(netuid)
                    except Exception as error:  # every failure is reported, named
                        failures.append(f"subnets.metagraph({netuid}): {type(error).__name__}: {error}")
                        return
                    neurons += len(read.neurons)
                    if not first:
                        first.append(elapsed_ms())

            await asyncio.gather(*(metagraph(n) for n in netuids))
            total_ms = elapsed_ms()
    finally:
        await proxy.stop()
    reads_ms = total_ms - connect_ms
    return {
        "parallel": parallel,
        "connect_ms": connect_ms,
        "connect_bytes_received": connect_bytes,
        "subnet_list_ms": subnet_list_ms - connect_ms,
        "first_metagraph_ms": (first[0] - connect_ms) if first else None,
        "ms": reads_ms,
        "subnets": len(netuids),
        "neurons": neurons,
        "bytes_received": proxy.received - connect_bytes,
        "bytes_sent": proxy.sent,
        "failed_reads": failures,
    }


async def main(rpc_port: int, block: int, parallels: list) -> None:
    loads = [await whole_network(rpc_port, block, parallel) for parallel in parallels]
    line = {"section": "sdk_whole_network", "sdk": bt.__version__, "block": block, "loads": loads}
    print(f"BENCH {json.dumps(line)}")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), int(sys.argv[2]), [int(p) for p in sys.argv[3:]] or [1]))
