"""eth_getLogs' result limit (issue 14, "under load and faults"): the query runs under the node lock,
so one that matches more than 10,000 logs stops there and is refused as Infura refuses it: code
-32005, "query returned more than 10000 results. Try with this block range [0x…, 0x…].", data
{from, limit, to} naming the blocks whose logs fit. The logs come from creation transactions whose
hand-assembled init code runs LOG0 in a loop, so every count here follows from the code alone."""
from web3 import HTTPProvider, Web3

from conftest import rpc_error, rpc_result

LIMIT = 10_000


def emitter(count: int) -> str:
    """Init code that runs LOG0(0, 0) `count` times, then stops (deploying nothing):
    PUSH2 count; JUMPDEST (pc 3); PUSH1 0 PUSH1 0 LOG0; PUSH1 1 SWAP1 SUB; DUP1 PUSH1 3 JUMPI; STOP."""
    assert 0 < count < 1 << 16
    return "0x61" + f"{count:04x}" + "5b" + "60006000a0" + "60019003" + "80600357" + "00"


def emit(w3, account, nonce: int, count: int) -> int:
    signed = account.sign_transaction({"nonce": nonce, "gasPrice": 2 * 10**9, "gas": 5_000_000, "data": emitter(count),
                                       "chainId": w3.eth.chain_id})
    receipt = w3.eth.wait_for_transaction_receipt(w3.eth.send_raw_transaction(signed.raw_transaction))
    assert receipt.status == 1, receipt
    assert len(receipt.logs) == count
    return receipt.blockNumber


def test_a_query_over_ten_thousand_logs_is_refused_naming_the_range_that_fits(node, accounts):
    w3 = Web3(HTTPProvider(node.url))
    first = emit(w3, accounts[0], 0, 6_000)
    second = emit(w3, accounts[0], 1, 6_000)
    assert second == first + 1

    # Each block alone fits, and the whole of it comes back.
    for block in (first, second):
        logs = rpc_result(node.url, "eth_getLogs", [{"fromBlock": hex(block), "toBlock": hex(block)}])
        assert len(logs) == 6_000
        assert {log["blockNumber"] for log in logs} == {hex(block)}

    # Both together are 12,000 > 10,000: refused, naming the first block as the range that fits.
    error = rpc_error(node.url, "eth_getLogs", [{"fromBlock": "0x0", "toBlock": "latest"}])
    assert error["code"] == -32005, error
    assert error["message"] == (f"query returned more than {LIMIT} results. "
                                f"Try with this block range [{hex(first)}, {hex(first)}]."), error
    assert error["data"] == {"from": hex(first), "limit": LIMIT, "to": hex(first)}, error

    # A filter that matches fewer logs over the same range is answered.
    assert rpc_result(node.url, "eth_getLogs", [{"fromBlock": "0x0", "toBlock": "latest",
                                                 "topics": ["0x" + "00" * 32]}]) == []
