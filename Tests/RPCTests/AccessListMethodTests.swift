import Chain
import ChainTypes
import Primitives
import RPC
import Testing

/// eth_createAccessList over JSON-RPC: geth's `{accessList, error?, gasUsed}` with exact values
/// (the gas is worked out by hand in ChainTests/NodeAccessListTests).
@Suite struct AccessListMethodTests {
    static let reader = "0x00000000000000000000000000000000000000aa"
    static let store = "0x00000000000000000000000000000000000000bb"
    static let account0 = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"
    static let zeroWord = "0x" + String(repeating: "0", count: 64)
    static let oneWord = "0x" + String(repeating: "0", count: 63) + "1"

    func service() async throws -> RPCService {
        let service = RPCService(configuration: RPCServerConfiguration(), node: try makeNode())
        let storeCode = "0x60015460005260206000f3"
        let readerCode = "0x600054506020600060006000" + "73" + String(Self.store.dropFirst(2)) + "5afa5060206000f3"
        let calls = [
            request("anvil_setCode", "[\"\(Self.store)\", \"\(storeCode)\"]"),
            request("anvil_setStorageAt", "[\"\(Self.store)\", \"0x1\", \"0x\(String(repeating: "0", count: 62))2a\"]"),
            request("anvil_setCode", "[\"\(Self.reader)\", \"\(readerCode)\"]"),
            request("anvil_setCode", "[\"0x00000000000000000000000000000000000000ab\", \"0x60006000fd\"]"),
        ]
        for body in calls { #expect(!(await dispatch(service, body)).contains("error")) }
        return service
    }

    @Test func listAndGasForACrossContractRead() async throws {
        let service = try await service()
        #expect(await dispatch(service, request("eth_createAccessList", "[{\"from\":\"\(Self.account0)\",\"to\":\"\(Self.reader)\"}]"))
                == result("{\"accessList\":[{\"address\":\"\(Self.reader)\",\"storageKeys\":[\"\(Self.zeroWord)\"]},"
                          + "{\"address\":\"\(Self.store)\",\"storageKeys\":[\"\(Self.oneWord)\"]}],\"gasUsed\":\"0x74ff\"}"))
        #expect(await dispatch(service, request("eth_createAccessList",
                                                "[{\"from\":\"\(Self.account0)\",\"to\":\"\(Self.reader)\"}, \"latest\"]"))
                .hasSuffix(",\"gasUsed\":\"0x74ff\"}}\n"))
    }

    @Test func revertCarriesTheError() async throws {
        let service = try await service()
        #expect(await dispatch(service, request("eth_createAccessList",
                                                "[{\"to\":\"0x00000000000000000000000000000000000000ab\"}]"))
                == result("{\"accessList\":[],\"error\":\"execution reverted\",\"gasUsed\":\"0x520e\"}"))
    }

    @Test func argumentErrors() async throws {
        let service = try await service()
        #expect(await dispatch(service, request("eth_createAccessList"))
                == error(-32602, "missing value for required argument 0"))
        #expect(await dispatch(service, request("eth_createAccessList", "[{}, \"0x9\"]"))
                == error(-32000, "header not found"))
    }
}
