import type { IdResolver, NameResolver, ResolvedId } from "../../src/kinds/references.js";
import type { ReferencePrefix } from "../../src/kinds/types.js";

interface Entry {
  prefix: ReferencePrefix;
  name: string;
  id: string;
  appId?: string;
}

/** A small in-memory tenant directory: both resolver directions, as the snapshot provides them. */
export class FakeDirectory implements IdResolver, NameResolver {
  private readonly entries: Entry[] = [];
  private readonly displayNames = new Map<string, string>();

  add(prefix: ReferencePrefix, name: string, id: string, appId?: string): this {
    this.entries.push({ prefix, name, id, ...(appId ? { appId } : {}) });
    return this;
  }

  known(id: string, displayName: string): this {
    this.displayNames.set(id.toLowerCase(), displayName);
    return this;
  }

  resolveId(id: string, targets: readonly ReferencePrefix[], by: "id" | "appId"): ResolvedId | undefined {
    const lower = id.toLowerCase();
    for (const prefix of targets) {
      const entry = this.entries.find(
        (e) => e.prefix === prefix && (by === "appId" ? e.appId?.toLowerCase() : e.id.toLowerCase()) === lower,
      );
      if (entry) return { prefix, name: entry.name };
    }
    const displayName = this.displayNames.get(lower);
    return displayName === undefined ? undefined : { displayName };
  }

  resolveName(prefix: ReferencePrefix, name: string, by: "id" | "appId"): string | undefined {
    const entry = this.entries.find((e) => e.prefix === prefix && e.name === name);
    return by === "appId" ? entry?.appId : entry?.id;
  }
}

export const IDS = {
  breakGlassGroup: "8e75af29-5176-4372-a718-724b8a4620dc",
  exchangeUsersGroup: "ba8e7ded-8b0f-4836-ba06-8ff1ecc5c8ba",
  alice: "a702a13d-a437-4a07-8a7e-8c052de62dfd",
  bob: "124c5b6a-ffa5-483a-9b88-04c3fce5574a",
  corporateNetwork: "d2136c9c-b049-47ae-b9cf-316e04ef7198",
  payrollApp: "03ef14b0-ca33-4840-8f4f-d6e91916010e",
  payrollAppId: "631a96bc-a705-4eda-9f99-fdaf9f54f6a2",
  payrollSp: "5f1b6a4c-2f3d-4a6e-9d1c-7b8e9f0a1b2c",
  exchangeOnlineAppId: "00000002-0000-0ff1-ce00-000000000000",
  graphAppId: "00000003-0000-0000-c000-000000000000",
  financeAu: "4d7ea995-bc0f-45c0-8c4b-e1a2f3a9f6a1",
  contosoStrength: "dd055c42-4218-4281-8631-f090e171f5cd",
  automationSp: "9c0a7e43-61b8-4f59-a0b3-2f7d8a1e6c55",
  partnerTenant: "3d0f5dec-5d3d-455c-8016-e2af1ae4d31a",
  salesCatalog: "ffffffff-7777-8888-9999-cccccccccccc",
  salesRepsPackage: "ffffffff-8888-9999-aaaa-dddddddddddd",
} as const;

/** The directory most tests use. */
export function contosoDirectory(): FakeDirectory {
  return new FakeDirectory()
    .add("group", "emergency-access", IDS.breakGlassGroup)
    .add("group", "exchange-users", IDS.exchangeUsersGroup)
    .add("user", "alice@contoso.com", IDS.alice)
    .add("namedLocation", "corporate-network", IDS.corporateNetwork)
    .add("application", "payroll-api", IDS.payrollApp, IDS.payrollAppId)
    .add("servicePrincipal", "payroll-api", IDS.payrollSp, IDS.payrollAppId)
    .add("servicePrincipal", "automation", IDS.automationSp)
    .add("administrativeUnit", "finance", IDS.financeAu)
    .add("authenticationStrength", "contoso-authentication-level", IDS.contosoStrength)
    .add("authenticationContext", "sensitive-apps", "c1")
    .add("accessPackageCatalog", "sales", IDS.salesCatalog)
    .add("accessPackage", "sales-reps", IDS.salesRepsPackage)
    .known(IDS.bob, "Bob (break-glass)")
    .known(IDS.exchangeOnlineAppId, "Office 365 Exchange Online")
    .known(IDS.graphAppId, "Microsoft Graph");
}
