"""Collateral end to end (issue 16): `goldengrain attest verify --collateral FILE|DIR`, `attest inspect`'s
PCK extensions, `enclave collateral` and `enclave quote --platform/--with-collateral`, and the dev
chain's ATTESTATION_VERIFY and marketplace refusing the SIMULATED out-of-date platform.

Expected values come from elsewhere than the binary: the real sample's status and advisories from
dcap-qvl's test for that sample (Tests/AttestationTests/TCBEvaluationTests.swift cites it), the FMSPC
from the TCB Info that Intel's PCS served for that quote, the simulated platforms' SVNs and statuses
from docs/formats.md ("Simulated collateral"), the precompile's output words from docs/formats.md."""
import json
import re
import subprocess

import pytest
from conftest import BINARY, ROOT, rpc
from marketplace_support import CHAIN_ID, Enclave, artifact, expect_revert, expect_success

VECTORS = ROOT.parent / "shared" / "vectors" / "sgx"
PHALA = VECTORS / "phala_sgx_v3"
INTEL_ROOT = VECTORS / "intel_sgx_root_ca.pem"
# dcap-qvl's verification time for this sample: the earliest nextUpdate minus one second.
PHALA_AT = "1752919277"
AT = "1767225600"  # 2026-01-01, inside the simulated collateral's window
DEV_MARKETPLACE = "0x0000000000000000000000000000000000002000"
ADVISORY = "GOLDENGRAIN-SIMULATED-SA-00001"


def run(*arguments, check=True):
    result = subprocess.run([str(BINARY), *arguments], capture_output=True, text=True, cwd=ROOT)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def verify_json(*arguments, check=True):
    result = run("attest", "verify", *arguments, "--json", check=check)
    return json.loads(result.stdout), result


@pytest.fixture(scope="module")
def simulated(tmp_path_factory):
    """`enclave collateral --out DIR --wire FILE` and a quote per platform."""
    directory = tmp_path_factory.mktemp("simulated")
    collateral = directory / "collateral"
    run("enclave", "collateral", "--out", str(collateral), "--wire", str(directory / "collateral.bin"))
    quotes = {}
    for platform in ("up-to-date", "out-of-date", "revoked"):
        quotes[platform] = directory / f"{platform}.bin"
        run("enclave", "quote", "--key", "11" * 32, "--platform", platform, "--out", str(quotes[platform]))
    return collateral, directory / "collateral.bin", quotes


def pcs_directory(tmp_path, files):
    for name, content in files.items():
        (tmp_path / name).write_bytes(content if isinstance(content, bytes) else content.encode())
    return tmp_path


def test_real_quote_with_dcap_qvl_collateral_json_matches_dcap_qvl():
    printed, _ = verify_json(str(PHALA / "quote.bin"), "--root", str(INTEL_ROOT), "--collateral",
                             str(PHALA / "collateral.json"), "--at", PHALA_AT)
    assert printed["verified"] is True
    assert printed["tcbStatus"] == "ConfigurationAndSWHardeningNeeded"
    assert printed["tcbStatusCode"] == 4
    assert printed["advisoryIDs"] == ["INTEL-SA-00289", "INTEL-SA-00615"]
    text = run("attest", "verify", str(PHALA / "quote.bin"), "--root", str(INTEL_ROOT), "--collateral",
               str(PHALA / "collateral.json"), "--time", PHALA_AT).stdout
    assert "TCB status   ConfigurationAndSWHardeningNeeded" in text
    assert "INTEL-SA-00289, INTEL-SA-00615" in text


def test_real_quote_with_intel_pcs_files_in_a_directory(tmp_path):
    """The same collateral as Intel's PCS serves it: {"tcbInfo":…,"signature":…} files, the chain PEM, DER CRLs."""
    source = json.loads((PHALA / "collateral.json").read_text())
    directory = pcs_directory(tmp_path, {
        "tcb_info.json": '{"tcbInfo":' + source["tcb_info"] + ',"signature":"' + source["tcb_info_signature"] + '"}',
        "qe_identity.json": '{"enclaveIdentity":' + source["qe_identity"] + ',"signature":"'
                            + source["qe_identity_signature"] + '"}',
        "tcb_signing_chain.pem": source["tcb_info_issuer_chain"],
        "root_ca_crl.der": bytes.fromhex(source["root_ca_crl"]),
        "pck_crl.der": bytes.fromhex(source["pck_crl"]),
    })
    printed, _ = verify_json(str(PHALA / "quote.bin"), "--root", str(INTEL_ROOT), "--collateral", str(directory),
                             "--at", PHALA_AT)
    assert (printed["tcbStatus"], printed["advisoryIDs"]) == ("ConfigurationAndSWHardeningNeeded",
                                                              ["INTEL-SA-00289", "INTEL-SA-00615"])
    # Outside the collateral's window (2026) the collateral check refuses it.
    printed, result = verify_json(str(PHALA / "quote.bin"), "--root", str(INTEL_ROOT), "--collateral", str(directory),
                                  "--at", AT, check=False)
    assert result.returncode == 1
    assert printed["verified"] is False and printed["check"] == "collateral"


def test_a_directory_with_a_missing_or_ambiguous_file_is_refused_by_name(tmp_path):
    directory = pcs_directory(tmp_path, {"tcb_info.json": "{}", "qe_identity.json": "{}"})
    result = run("attest", "verify", str(PHALA / "quote.bin"), "--root", str(INTEL_ROOT), "--collateral",
                 str(directory), check=False)
    assert result.returncode != 0
    assert "expected exactly one TCB Signing chain (*.pem, not a CRL), found none" in result.stderr


def test_inspect_shows_the_real_pck_extensions():
    printed = run("attest", "inspect", str(PHALA / "quote.bin")).stdout
    fmspc = json.loads(json.loads((PHALA / "collateral.json").read_text())["tcb_info"])["fmspc"]
    assert re.search(r"FMSPC\s+" + fmspc.lower(), printed)
    assert re.search(r"PCE-ID\s+0000", printed)
    # The platform's TCB: dcap-qvl's evaluation of this sample meets the level 11 11 2 2 255 1 0 …, PCE SVN 13.
    assert re.search(r"TCB components\s+11 11 2 2 255 1 0 0 0 0 0 0 0 0 0 0", printed)
    assert re.search(r"PCESVN\s+13", printed)


@pytest.mark.parametrize("platform,components,pcesvn", [
    ("up-to-date", "3 3 2 2 4 1 0 3 0 0 0 0 0 0 0 0", 13),
    ("out-of-date", "2 2 2 2 4 1 0 3 0 0 0 0 0 0 0 0", 11),
])
def test_inspect_shows_the_simulated_platforms_tcb(simulated, platform, components, pcesvn):
    _, _, quotes = simulated
    printed = run("attest", "inspect", str(quotes[platform])).stdout
    assert re.search(r"FMSPC\s+474700000000", printed)
    assert re.search(r"TCB components\s+" + components, printed)
    assert re.search(rf"PCESVN\s+{pcesvn}\b", printed)


def test_simulated_platforms_against_simulated_collateral(simulated):
    collateral, wire, quotes = simulated
    for source in (collateral, wire):
        printed, _ = verify_json(str(quotes["up-to-date"]), "--simulated-root", "--collateral", str(source), "--at", AT)
        assert (printed["tcbStatus"], printed["tcbStatusCode"], printed["advisoryIDs"]) == ("UpToDate", 1, [])
        assert printed["collateralIssueDate"] == 1735689600  # 2025-01-01T00:00:00Z
        printed, _ = verify_json(str(quotes["out-of-date"]), "--simulated-root", "--collateral", str(source), "--at", AT)
        assert (printed["tcbStatus"], printed["tcbStatusCode"], printed["advisoryIDs"]) == ("OutOfDate", 5, [ADVISORY])
        printed, result = verify_json(str(quotes["revoked"]), "--simulated-root", "--collateral", str(source), "--at", AT,
                                      check=False)
        assert result.returncode == 1
        assert printed["check"] == "collateral" and "revoked" in printed["error"]
    # Without collateral every platform's quote verifies, with no status.
    printed, _ = verify_json(str(quotes["revoked"]), "--simulated-root", "--at", AT)
    assert printed["verified"] is True and "tcbStatus" not in printed


def test_dev_chain_precompile_takes_quote_and_collateral(node, simulated):
    _, wire, quotes = simulated
    collateral = wire.read_bytes()

    def call(data: bytes) -> bytes:
        answer = rpc(node.url, "eth_call", [{"to": "0x0000000000000000000000000000000000001000", "data": "0x" + data.hex()},
                                            "latest"])
        return bytes.fromhex(answer["result"][2:])

    up_to_date = quotes["up-to-date"].read_bytes()
    alone = call(up_to_date)
    with_collateral = call(up_to_date + collateral)
    # docs/formats.md: 10 words; words 0-7 as before; word 8 the status code (1 UpToDate), word 9 the issue date.
    assert len(alone) == len(with_collateral) == 320
    assert alone[:256] == with_collateral[:256]
    assert alone[256:] == bytes(64)
    assert int.from_bytes(with_collateral[256:288], "big") == 1
    assert int.from_bytes(with_collateral[288:320], "big") == 1735689600
    # The dev genesis accepts UpToDate and SWHardeningNeeded only: the out-of-date and revoked platforms get nothing.
    assert call(quotes["out-of-date"].read_bytes() + collateral) == b""
    assert call(quotes["revoked"].read_bytes() + collateral) == b""
    # Collateral is optional on the dev chain.
    assert len(call(quotes["out-of-date"].read_bytes())) == 320


def test_dev_marketplace_refuses_an_out_of_date_enclave_and_registers_an_up_to_date_one(w3, accounts, tmp_path):
    market = w3.eth.contract(address=w3.to_checksum_address(DEV_MARKETPLACE), abi=artifact()["abi"])

    def quote(enclave, platform):
        out = tmp_path / f"{platform}.bin"
        run("enclave", "quote", "--key", enclave.private_key.hex(), "--chain-id", str(CHAIN_ID), "--marketplace",
            DEV_MARKETPLACE, "--platform", platform, "--with-collateral", "--out", str(out))
        return out.read_bytes()

    stale = Enclave("test_attest_collateral out-of-date enclave")
    expect_revert(w3, market.functions.registerEnclave(quote(stale, "out-of-date"), stale.public_key), accounts[0].address,
                  "quote rejected")
    revoked = Enclave("test_attest_collateral revoked enclave")
    expect_revert(w3, market.functions.registerEnclave(quote(revoked, "revoked"), revoked.public_key), accounts[0].address,
                  "quote rejected")
    fresh = Enclave("test_attest_collateral up-to-date enclave")
    input_bytes = quote(fresh, "up-to-date")
    assert len(input_bytes) <= 16384  # registerEnclave(quote: Bytes[16384], …)
    receipt = expect_success(w3, market.functions.registerEnclave(input_bytes, fresh.public_key), accounts[0].address)
    assert receipt.status == 1
