using System.Linq.Expressions;
using Consentry.Core.Sync;
using Consentry.Querying;

namespace Consentry.Features.Data;

/// <summary>How a field of a cached record is compared in queries.</summary>
internal enum FieldKind
{
    Text,
    Number,
    Date,
}

/// <summary>
/// One data type as Codat's Accounting, Banking or Commerce API serves it: its path segment, whether it is read per
/// connection (banking, commerce) or per company (accounting), and the fields its <c>query</c> and <c>orderBy</c> know.
/// </summary>
internal sealed record DataTypeView(string DataType, string Path, string EntityName, bool PerConnection, bool SingleObject, string? IdParameter, QueryableProperties<CachedRecord> Fields);

internal static class DataTypeViews
{
    private static readonly (string Name, FieldKind Kind)[] TransactionFields =
    [
        ("accountId", FieldKind.Text), ("description", FieldKind.Text), ("amount", FieldKind.Number), ("currency", FieldKind.Text),
        ("postedDate", FieldKind.Date), ("authorizedDate", FieldKind.Date), ("code", FieldKind.Text), ("merchantName", FieldKind.Text),
        ("transactionCategoryRef.id", FieldKind.Text), ("transactionCategoryRef.name", FieldKind.Text),
    ];

    public static readonly IReadOnlyList<DataTypeView> All =
    [
        View("company", "info", "CompanyInfo", perConnection: false, single: true, null, ("companyName", FieldKind.Text), ("baseCurrency", FieldKind.Text)),
        View("chartOfAccounts", "accounts", "Account", false, false, "accountId",
            ("name", FieldKind.Text), ("nominalCode", FieldKind.Text), ("type", FieldKind.Text), ("status", FieldKind.Text),
            ("currency", FieldKind.Text), ("currentBalance", FieldKind.Number), ("fullyQualifiedCategory", FieldKind.Text)),
        View("customers", "customers", "Customer", false, false, "customerId",
            ("customerName", FieldKind.Text), ("contactName", FieldKind.Text), ("emailAddress", FieldKind.Text), ("status", FieldKind.Text),
            ("defaultCurrency", FieldKind.Text)),
        View("invoices", "invoices", "Invoice", false, false, "invoiceId",
            ("invoiceNumber", FieldKind.Text), ("customerRef.id", FieldKind.Text), ("issueDate", FieldKind.Date), ("dueDate", FieldKind.Date),
            ("currency", FieldKind.Text), ("totalAmount", FieldKind.Number), ("amountDue", FieldKind.Number), ("status", FieldKind.Text)),
        View("suppliers", "suppliers", "Supplier", false, false, "supplierId", ("supplierName", FieldKind.Text), ("status", FieldKind.Text), ("defaultCurrency", FieldKind.Text)),
        View("bills", "bills", "Bill", false, false, "billId", ("reference", FieldKind.Text), ("supplierRef.id", FieldKind.Text), ("issueDate", FieldKind.Date), ("dueDate", FieldKind.Date), ("currency", FieldKind.Text), ("totalAmount", FieldKind.Number), ("amountDue", FieldKind.Number), ("status", FieldKind.Text)),
        View("payments", "payments", "Payment", false, false, "paymentId", ("customerRef.id", FieldKind.Text), ("date", FieldKind.Date), ("currency", FieldKind.Text), ("totalAmount", FieldKind.Number)),
        View("banking-accounts", "banking-accounts", "BankingAccount", true, false, "accountId",
            ("name", FieldKind.Text), ("type", FieldKind.Text), ("currency", FieldKind.Text),
            ("balance.current", FieldKind.Number), ("balance.available", FieldKind.Number), ("identifiers.type", FieldKind.Text)),
        View("banking-accountBalances", "banking-accountBalances", "BankingAccountBalance", true, false, null,
            ("accountId", FieldKind.Text), ("balance.current", FieldKind.Number), ("balance.available", FieldKind.Number), ("date", FieldKind.Date)),
        View("banking-transactions", "banking-transactions", "BankingTransaction", true, false, "transactionId", TransactionFields),
        // Codat's older (deprecated) path: the company's banking transactions of every connection.
        View("banking-transactions", "banking-transactions", "BankingTransaction", false, false, null, TransactionFields),
        View("banking-transactionCategories", "banking-transactionCategories", "BankingTransactionCategory", true, false, "transactionCategoryId",
            ("name", FieldKind.Text), ("parentId", FieldKind.Text), ("status", FieldKind.Text)),
        View("commerce-companyInfo", "commerce-info", "CommerceCompanyInfo", true, true, null, ("companyName", FieldKind.Text), ("baseCurrency", FieldKind.Text)),
        View("commerce-customers", "commerce-customers", "CommerceCustomer", true, false, "customerId",
            ("customerName", FieldKind.Text), ("emailAddress", FieldKind.Text), ("createdDate", FieldKind.Date)),
        View("commerce-products", "commerce-products", "CommerceProduct", true, false, "productId",
            ("name", FieldKind.Text), ("categorization", FieldKind.Text)),
        View("commerce-orders", "commerce-orders", "CommerceOrder", true, false, "orderId",
            ("orderNumber", FieldKind.Text), ("currency", FieldKind.Text), ("totalAmount", FieldKind.Number), ("totalRefund", FieldKind.Number),
            ("createdDate", FieldKind.Date), ("closedDate", FieldKind.Date), ("customerRef.id", FieldKind.Text), ("locationRef.id", FieldKind.Text)),
        View("commerce-payments", "commerce-payments", "CommercePayment", true, false, "paymentId",
            ("amount", FieldKind.Number), ("currency", FieldKind.Text), ("status", FieldKind.Text), ("createdDate", FieldKind.Date),
            ("paymentProvider", FieldKind.Text), ("paymentMethodRef.id", FieldKind.Text)),
        View("commerce-transactions", "commerce-transactions", "CommerceTransaction", true, false, "transactionId",
            ("totalAmount", FieldKind.Number), ("currency", FieldKind.Text), ("type", FieldKind.Text), ("createdDate", FieldKind.Date)),
        View("commerce-disputes", "commerce-disputes", "CommerceDispute", true, false, "disputeId",
            ("totalAmount", FieldKind.Number), ("currency", FieldKind.Text), ("status", FieldKind.Text), ("createdDate", FieldKind.Date)),
        View("commerce-locations", "commerce-locations", "CommerceLocation", true, false, "locationId", ("name", FieldKind.Text)),
        View("commerce-paymentMethods", "commerce-paymentMethods", "CommercePaymentMethod", true, false, "paymentMethodId",
            ("name", FieldKind.Text), ("status", FieldKind.Text)),
        // Codat names the id of a product category productId.
        View("commerce-productCategories", "commerce-productCategories", "CommerceProductCategory", true, false, "productId", ("name", FieldKind.Text)),
        View("commerce-taxComponents", "commerce-taxComponents", "CommerceTaxComponent", true, false, "taxId",
            ("name", FieldKind.Text), ("rate", FieldKind.Number)),
    ];

    private static DataTypeView View(string dataType, string path, string entity, bool perConnection, bool single, string? idParameter, params (string Name, FieldKind Kind)[] fields)
    {
        var properties = new QueryableProperties<CachedRecord>(entity)
            .Add("id", r => r.RecordId)
            .Add("modifiedDate", r => r.Updated)
            .Add("sourceModifiedDate", r => r.ModifiedDate);
        foreach (var group in fields.GroupBy(f => f.Name.Split('.')[0]))
        {
            if (group.All(f => !f.Name.Contains('.', StringComparison.Ordinal)))
            {
                AddField(properties, group.Key, "$." + group.Key, group.First().Kind);
                continue;
            }

            // customerRef.id: a nested object of the same record, so the query language's dotted paths work.
            var nested = new QueryableProperties<CachedRecord>(entity);
            foreach (var (name, kind) in group)
            {
                AddField(nested, name[(group.Key.Length + 1)..], "$." + name, kind);
            }

            properties.AddNested(group.Key, r => r, nested);
        }

        return new DataTypeView(dataType, path, entity, perConnection, single, idParameter, properties);
    }

    private static void AddField(QueryableProperties<CachedRecord> properties, string name, string path, FieldKind kind)
    {
        var record = Expression.Parameter(typeof(CachedRecord), "r");
        var data = Expression.Property(record, nameof(CachedRecord.Data));
        var method = typeof(JsonFunctions).GetMethod(kind switch
        {
            FieldKind.Number => nameof(JsonFunctions.Number),
            FieldKind.Date => nameof(JsonFunctions.Time),
            _ => nameof(JsonFunctions.Text),
        })!;
        var call = Expression.Call(method, data, Expression.Constant(path));
        switch (kind)
        {
            case FieldKind.Number:
                properties.Add(name, Expression.Lambda<Func<CachedRecord, double?>>(call, record));
                break;
            case FieldKind.Date:
                properties.Add(name, Expression.Lambda<Func<CachedRecord, DateTime?>>(call, record));
                break;
            default:
                properties.Add(name, Expression.Lambda<Func<CachedRecord, string?>>(call, record));
                break;
        }
    }
}
