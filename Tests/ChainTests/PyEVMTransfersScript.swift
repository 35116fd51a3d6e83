// The py-evm script that computed BlockExecutionTests' and GenesisTests' expectations, kept here so the
// source is reproducible: py-evm 0.12.1b1 comes with titanoboa in the project's .venv, so
// `.venv/bin/python script.py` from the package root (the genesis includes the marketplace's code
// and storage since Genesis/dev.json predeploys it; the header-hash half is in GenesisTests' comment)
// (the first recipient is deliberately an unfunded address).
/*
# Independent state root for a block of value transfers on the dev genesis, computed by py-evm (Cancun).
from eth.db.atomic import AtomicDB
from eth.vm.forks.cancun import CancunVM
from eth.vm.forks.cancun.state import CancunState
from eth.vm.execution_context import ExecutionContext
from eth_keys import keys
from eth_utils import to_canonical_address, decode_hex
import json, sys

genesis = json.load(open('Genesis/dev.json'))
KEYS = [
 "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
 "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
 "5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
]
db = AtomicDB()
from eth.db.account import AccountDB
from eth.constants import BLANK_ROOT_HASH
accounts = AccountDB(db, BLANK_ROOT_HASH)
for address, account in genesis['alloc'].items():
    a = to_canonical_address(address)
    accounts.set_balance(a, int(account['balance'], 0))
    if 'nonce' in account: accounts.set_nonce(a, int(account['nonce'], 0))
    if 'code' in account: accounts.set_code(a, decode_hex(account['code']))
    for slot, value in account.get('storage', {}).items(): accounts.set_storage(a, int(slot, 16), int(value, 16))
accounts.persist()
root = accounts.state_root
print("genesis root", root.hex())

base_fee = 875000000  # nextBaseFee(dev genesis): 1 gwei, gas used 0 of 30M
ctx = ExecutionContext(coinbase=b'\0'*20, timestamp=1_700_000_000, block_number=1, difficulty=2,
                       mix_hash=b'\0'*32, gas_limit=30_000_000, prev_hashes=[], chain_id=31337,
                       base_fee_per_gas=base_fee, excess_blob_gas=0)
state = CancunState(db, ctx, root)
builder = CancunVM.get_transaction_builder()
recipients = ["0x70997970C51812dc3A010C7d01b50e20d4dc79C8", "0x000000000000000000000000000000000000dEaD", "0x1000000000000000000000000000000000000001"]
cumulative = 0
for i in range(6):
    sender = i % 3
    nonce = i // 3
    tx = builder.new_unsigned_dynamic_fee_transaction(chain_id=31337, nonce=nonce, max_priority_fee_per_gas=10**9 + i,
        max_fee_per_gas=2 * 10**9, gas=21000, to=to_canonical_address(recipients[i % 3]), value=10**18 * (i + 1) + i,
        data=b'', access_list=[]).as_signed_transaction(keys.PrivateKey(bytes.fromhex(KEYS[sender])))
    state.apply_transaction(tx)
    cumulative += 21000
root = state.make_state_root()
print("post root", root.hex(), "gas", cumulative)
for r in recipients + ["0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "0x0000000000000000000000000000000000000000"]:
    print(r, state.get_balance(to_canonical_address(r)))
*/
