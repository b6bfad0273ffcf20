using System.Text.Json.Nodes;

namespace Consentry.Sandbox.Simulators.Xero;

/// <summary>
/// Builds an organisation's records in Xero's JSON (PascalCase, "/Date(…)/" dates, Xero's enums) from a seed derived
/// from the username and the organisation, so the same user always sees the same data.
/// </summary>
internal static class XeroDataGenerator
{
    /// <summary>Records were last changed before this; what the control API changes is stamped with the current time.</summary>
    private static readonly DateTime Epoch = new(2025, 6, 1, 0, 0, 0, DateTimeKind.Utc);

    private static readonly string[] Names = ["Acme", "Bayside", "Cobalt", "Delta", "Evergreen", "Foxglove", "Granite", "Harbour", "Ironbark", "Juniper", "Kestrel", "Lumen"];
    private static readonly string[] Kinds = ["Trading", "Supplies", "Consulting", "Foods", "Logistics", "Studio", "Engineering", "Garden Centre"];
    private static readonly string[] Items = ["Consulting hours", "Annual support", "Widgets", "Delivery", "Installation", "Training day", "Licence"];
    private static readonly (string Type, string Class, string Name)[] AccountKinds =
    [
        ("BANK", "ASSET", "Business Account"), ("CURRENT", "ASSET", "Prepayments"), ("FIXED", "ASSET", "Office Equipment"),
        ("REVENUE", "REVENUE", "Sales"), ("SALES", "REVENUE", "Other Revenue"), ("DIRECTCOSTS", "EXPENSE", "Cost of Goods Sold"),
        ("EXPENSE", "EXPENSE", "General Expenses"), ("OVERHEADS", "EXPENSE", "Rent"), ("CURRLIAB", "LIABILITY", "VAT"),
        ("TERMLIAB", "LIABILITY", "Loan"), ("EQUITY", "EQUITY", "Retained Earnings"),
    ];

    public static XeroOrganisation Generate(XeroOrganisationRef org, string username)
    {
        var size = XeroUsers.SizeOf(username);
        var random = new Random(Seed($"{username}|{org.Index}"));
        var n = 0;
        DateTime NextUpdated() => Epoch.AddMinutes(-(++n) * 7);
        Guid NewId() => XeroUsers.StableGuid($"{org.TenantId}|{n}|{random.Next()}");

        var accounts = new List<XeroRecord>();
        for (var i = 0; i < size.Accounts; i++)
        {
            var (type, cls, name) = AccountKinds[i % AccountKinds.Length];
            var id = NewId().ToString();
            var updated = NextUpdated();
            var json = new JsonObject
            {
                ["AccountID"] = id,
                ["Code"] = (200 + i).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Name"] = i < AccountKinds.Length ? name : $"{name} {i / AccountKinds.Length}",
                ["Status"] = i % 17 == 16 ? "ARCHIVED" : "ACTIVE",
                ["Type"] = type,
                ["TaxType"] = cls is "REVENUE" ? "OUTPUT2" : "INPUT2",
                ["Class"] = cls,
                ["EnablePaymentsToAccount"] = false,
                ["ShowInExpenseClaims"] = cls == "EXPENSE",
                ["ReportingCode"] = cls[..3],
                ["HasAttachments"] = false,
                ["UpdatedDateUTC"] = XeroDates.Format(updated),
                ["AddToWatchlist"] = false,
            };
            if (type == "BANK")
            {
                json["BankAccountNumber"] = $"{random.Next(100000, 999999)}{random.Next(10000000, 99999999)}";
                json["BankAccountType"] = "BANK";
                json["CurrencyCode"] = "GBP";
            }

            accounts.Add(new XeroRecord(id, updated, json));
        }

        var contacts = new List<XeroRecord>();
        for (var i = 0; i < size.Contacts; i++)
        {
            var id = NewId().ToString();
            var updated = NextUpdated();
            var name = $"{Names[random.Next(Names.Length)]} {Kinds[random.Next(Kinds.Length)]} {i + 1}";
            var first = Names[random.Next(Names.Length)];
            contacts.Add(new XeroRecord(id, updated, new JsonObject
            {
                ["ContactID"] = id,
                ["ContactStatus"] = i % 13 == 12 ? "ARCHIVED" : "ACTIVE",
                ["Name"] = name,
                ["FirstName"] = first,
                ["LastName"] = "Smith",
                ["EmailAddress"] = $"accounts{i + 1}@{name.Split(' ')[0].ToLowerInvariant()}.example",
                ["Addresses"] = new JsonArray(new JsonObject
                {
                    ["AddressType"] = "POBOX", ["AddressLine1"] = $"{random.Next(1, 200)} High Street", ["City"] = "Bristol",
                    ["PostalCode"] = "BS1 4DJ", ["Country"] = "United Kingdom",
                }),
                ["Phones"] = new JsonArray(new JsonObject { ["PhoneType"] = "DEFAULT", ["PhoneNumber"] = $"{random.Next(1000000, 9999999)}", ["PhoneAreaCode"] = "0117" }),
                ["UpdatedDateUTC"] = XeroDates.Format(updated),
                ["ContactGroups"] = new JsonArray(),
                ["IsSupplier"] = i % 4 == 3 || i % 10 == 0,
                ["IsCustomer"] = i % 4 != 3,
                ["DefaultCurrency"] = "GBP",
                ["HasAttachments"] = false,
                ["HasValidationErrors"] = false,
            }));
        }

        var customers = contacts.Where(c => c.Json["IsCustomer"]!.GetValue<bool>()).ToList();
        var suppliers = contacts.Where(c => c.Json["IsSupplier"]!.GetValue<bool>()).ToList();
        var revenue = accounts.First(a => (string?)a.Json["Type"] == "REVENUE");
        var expense = accounts.First(a => (string?)a.Json["Type"] == "EXPENSE");
        var bank = accounts.First(a => (string?)a.Json["Type"] == "BANK");
        var invoices = new List<XeroRecord>();
        for (var i = 0; i < size.SalesInvoices + size.Bills; i++)
        {
            var sale = i < size.SalesInvoices;
            var contact = sale ? customers[random.Next(customers.Count)] : suppliers[random.Next(suppliers.Count)];
            var id = NewId().ToString();
            var updated = NextUpdated();
            var date = Epoch.Date.AddDays(-random.Next(1, 540));
            var lines = new JsonArray();
            decimal subTotal = 0, tax = 0;
            for (var l = random.Next(1, 4); l > 0; l--)
            {
                var quantity = random.Next(1, 10);
                var unit = random.Next(1000, 50000) / 100m;
                var amount = quantity * unit;
                var lineTax = Math.Round(amount * 0.2m, 2);
                (subTotal, tax) = (subTotal + amount, tax + lineTax);
                lines.Add(new JsonObject
                {
                    ["LineItemID"] = NewId().ToString(), ["Description"] = Items[random.Next(Items.Length)], ["Quantity"] = quantity,
                    ["UnitAmount"] = unit, ["AccountCode"] = (string?)(sale ? revenue : expense).Json["Code"],
                    ["AccountID"] = (sale ? revenue : expense).Id, ["TaxType"] = sale ? "OUTPUT2" : "INPUT2", ["TaxAmount"] = lineTax,
                    ["LineAmount"] = amount, ["Tracking"] = new JsonArray(),
                });
            }

            var total = subTotal + tax;
            var roll = random.Next(100);
            // Every organisation has a voided and a deleted sales invoice (the second and third), whatever its seed, so a
            // test of how Codat shows them never depends on the roll; the others follow the roll.
            var status = i switch
            {
                1 when sale => "VOIDED",
                2 when sale => "DELETED",
                _ => roll switch { < 45 => "PAID", < 75 => "AUTHORISED", < 85 => "DRAFT", < 90 => "SUBMITTED", < 95 => "VOIDED", _ => "DELETED" },
            };
            var paid = status == "PAID" ? total : status == "AUTHORISED" && roll % 3 == 0 ? Math.Round(total / 2, 2) : 0m;
            var json = new JsonObject
            {
                ["Type"] = sale ? "ACCREC" : "ACCPAY",
                ["InvoiceID"] = id,
                ["InvoiceNumber"] = sale ? $"INV-{i + 1:D5}" : $"BILL-{i + 1 - size.SalesInvoices:D5}",
                ["Reference"] = sale ? $"PO {random.Next(1000, 9999)}" : "",
                ["Contact"] = new JsonObject { ["ContactID"] = contact.Id, ["Name"] = (string?)contact.Json["Name"] },
                ["Date"] = XeroDates.Format(date),
                ["DueDate"] = XeroDates.Format(date.AddDays(30)),
                ["Status"] = status,
                ["LineAmountTypes"] = "Exclusive",
                ["LineItems"] = lines,
                ["SubTotal"] = subTotal,
                ["TotalTax"] = tax,
                ["Total"] = total,
                ["AmountDue"] = status is "VOIDED" or "DELETED" ? 0m : total - paid,
                ["AmountPaid"] = paid,
                ["AmountCredited"] = 0m,
                ["CurrencyCode"] = "GBP",
                ["CurrencyRate"] = 1m,
                ["IsDiscounted"] = false,
                ["HasAttachments"] = false,
                ["HasErrors"] = false,
                ["UpdatedDateUTC"] = XeroDates.Format(updated),
            };
            if (status == "PAID")
            {
                json["FullyPaidOnDate"] = XeroDates.Format(date.AddDays(random.Next(1, 30)));
            }

            invoices.Add(new XeroRecord(id, updated, json));
        }

        var payable = invoices.Where(r => r.Json["AmountPaid"]!.GetValue<decimal>() > 0).ToList();
        var payments = new List<XeroRecord>();
        for (var i = 0; i < size.Payments && payable.Count > 0; i++)
        {
            var invoice = payable[i % payable.Count];
            var id = NewId().ToString();
            var updated = NextUpdated();
            var sale = (string?)invoice.Json["Type"] == "ACCREC";
            payments.Add(new XeroRecord(id, updated, new JsonObject
            {
                ["PaymentID"] = id,
                ["Date"] = invoice.Json["FullyPaidOnDate"]?.DeepClone() ?? invoice.Json["DueDate"]!.DeepClone(),
                ["Amount"] = invoice.Json["AmountPaid"]!.GetValue<decimal>(),
                ["BankAmount"] = invoice.Json["AmountPaid"]!.GetValue<decimal>(),
                ["CurrencyRate"] = 1m,
                ["Reference"] = $"Payment {i + 1}",
                ["IsReconciled"] = i % 2 == 0,
                ["Status"] = i % 29 == 28 ? "DELETED" : "AUTHORISED",
                ["PaymentType"] = sale ? "ACCRECPAYMENT" : "ACCPAYPAYMENT",
                ["UpdatedDateUTC"] = XeroDates.Format(updated),
                ["Account"] = new JsonObject { ["AccountID"] = bank.Id, ["Code"] = (string?)bank.Json["Code"] },
                ["Invoice"] = new JsonObject
                {
                    ["Type"] = invoice.Json["Type"]!.DeepClone(), ["InvoiceID"] = invoice.Id, ["InvoiceNumber"] = invoice.Json["InvoiceNumber"]!.DeepClone(),
                    ["Contact"] = invoice.Json["Contact"]!.DeepClone(), ["CurrencyCode"] = "GBP",
                },
                ["HasAccount"] = true,
                ["HasValidationErrors"] = false,
            }));
        }

        var created = Epoch.AddYears(-3);
        return new XeroOrganisation(org, username)
        {
            Organisation = new JsonObject
            {
                ["OrganisationID"] = org.TenantId,
                ["APIKey"] = "",
                ["Name"] = org.Name,
                ["LegalName"] = $"{org.Name} Limited",
                ["PaysTax"] = true,
                ["Version"] = "UK",
                ["OrganisationType"] = "COMPANY",
                ["BaseCurrency"] = "GBP",
                ["CountryCode"] = "GB",
                ["IsDemoCompany"] = false,
                ["OrganisationStatus"] = "ACTIVE",
                ["RegistrationNumber"] = $"{random.Next(10000000, 99999999)}",
                ["TaxNumber"] = $"GB{random.Next(100000000, 999999999)}",
                ["FinancialYearEndDay"] = 31,
                ["FinancialYearEndMonth"] = 3,
                ["SalesTaxBasis"] = "ACCRUALS",
                ["SalesTaxPeriod"] = "QUARTERLY1",
                ["DefaultSalesTax"] = "Tax Exclusive",
                ["DefaultPurchasesTax"] = "Tax Exclusive",
                ["CreatedDateUTC"] = XeroDates.Format(created),
                ["OrganisationEntityType"] = "COMPANY",
                ["Timezone"] = "GMTSTANDARDTIME",
                ["ShortCode"] = "!" + org.TenantId[..5],
                ["Class"] = "PREMIUM",
                ["Edition"] = "BUSINESS",
                ["LineOfBusiness"] = "Wholesale",
                ["Addresses"] = new JsonArray(new JsonObject
                {
                    ["AddressType"] = "STREET", ["AddressLine1"] = "23 Main Street", ["City"] = "Bristol", ["PostalCode"] = "BS1 5TR", ["Country"] = "United Kingdom",
                }),
                ["Phones"] = new JsonArray(new JsonObject { ["PhoneType"] = "OFFICE", ["PhoneNumber"] = "1234567", ["PhoneAreaCode"] = "0117" }),
                ["ExternalLinks"] = new JsonArray(new JsonObject { ["LinkType"] = "Website", ["Url"] = "https://demo.example" }),
                ["PaymentTerms"] = new JsonObject(),
            },
            Accounts = accounts,
            Contacts = contacts,
            Invoices = invoices,
            Payments = payments,
        };
    }

    /// <summary>FNV-1a: string.GetHashCode differs per process, and the data must not.</summary>
    private static int Seed(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash & 0x7FFFFFFF);
    }
}
