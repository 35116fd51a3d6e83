"""An independent devp2p peer in Python (RLPx, p2p base protocol, eth/68) for the end-to-end tests, written from
devp2p's rlpx.md and caps/eth.md, EIP-8 and EIP-2124: a second implementation to check the node's Swift one."""
