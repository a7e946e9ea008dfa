"""Reads what Taoscope shows through the bittensor SDK, as a new user would, at one block.

Usage: read.py WS_URL BLOCK NETUID  ->  JSON on stdout: the subnets, the alpha prices, the
delegates and one subnet's metagraph, each exactly as the SDK's typed reads return them (amounts
in rao). The SDK tier compares them with the light client's snapshot of the same block.
"""

import asyncio
import json
import sys

import bittensor as bt


def rao(balance):
    """An SDK Balance (TAO or alpha) in rao."""
    return int(balance.rao)


async def main(url: str, block: int, netuid: int) -> None:
    client = bt.Client(url, fallback_endpoints=[], archive_endpoints=[])
    async with client:
        snapshot = await client.at(block)
        subnets = await snapshot.subnets.subnets()
        prices = await snapshot.prices.alpha_prices()
        delegates = await snapshot.delegation.delegates()
        metagraph = await snapshot.subnets.metagraph(netuid)
    print(json.dumps({
        "block": block,
        "subnets": [
            {"netuid": s.netuid, "tempo": s.tempo, "burn": rao(s.burn), "neuron_count": s.neuron_count}
            for s in subnets
        ],
        "alpha_prices": {str(n): float(p) for n, p in prices.items()},
        "delegates": [
            {
                "hotkey": str(d.hotkey),
                "owner": str(d.owner),
                "take": float(d.take),
                "registrations": list(d.registrations),
                "validator_permits": list(d.validator_permits),
            }
            for d in delegates
        ],
        "metagraph": {
            "netuid": metagraph.netuid,
            "block": metagraph.block,
            "neurons": [
                {
                    "uid": n.uid,
                    "hotkey": str(n.hotkey),
                    "coldkey": str(n.coldkey),
                    "active": n.active,
                    "validator_permit": n.validator_permit,
                    "last_update": n.last_update,
                    "block_at_registration": n.block_at_registration,
                    "consensus": n.consensus,
                    "incentive": n.incentive,
                    "dividends": n.dividends,
                    "emission": rao(n.emission),
                    "alpha_stake": rao(n.alpha_stake),
                }
                for n in metagraph.neurons
            ],
        },
    }))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))
