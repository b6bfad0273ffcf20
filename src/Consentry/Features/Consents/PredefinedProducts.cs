using Consentry.Core.Consents;
using Consentry.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Consentry.Features.Consents;

/// <summary>
/// Codat's own product identifiers (the examples of <c>productIdentifier</c> in Codat's Platform document: <c>lending</c>,
/// <c>bank-feeds</c>, <c>payables</c>, <c>expenses</c>) exist for every client from the start, so a Codat app's
/// <c>PUT /companies/{companyId}/products/lending</c> works without defining anything first. A client may change them
/// (<c>PUT /products/{productIdentifier}</c>) but not delete them; its own products sit beside them.
/// </summary>
public static class PredefinedProducts
{
    public sealed record Definition(string Identifier, string Name, string Description, IReadOnlyList<string> DataTypes);

    public static readonly IReadOnlyList<Definition> All =
    [
        new("lending", "Lending", "Codat's Lending: financial statements, accounting, banking and commerce data for credit decisions.",
        [
            "company", "chartOfAccounts", "balanceSheet", "profitAndLoss", "cashFlowStatement", "customers", "suppliers", "invoices",
            "bills", "payments", "billPayments", "creditNotes", "journalEntries", "accountTransactions", "bankAccounts", "bankTransactions",
            "banking-accounts", "banking-accountBalances", "banking-transactions", "banking-transactionCategories",
            "commerce-companyInfo", "commerce-customers", "commerce-orders", "commerce-payments", "commerce-products",
            "commerce-transactions", "commerce-disputes",
        ]),
        new("bank-feeds", "Bank Feeds", "Codat's Bank Feeds: the accounting platform's company and bank accounts, to push bank transactions to.",
            ["company", "chartOfAccounts", "bankAccounts"]),
        new("payables", "Payables", "Codat's Sync for Payables: suppliers, bills and their payments.",
            ["company", "chartOfAccounts", "suppliers", "bills", "billPayments", "billCreditNotes", "taxRates", "trackingCategories", "bankAccounts"]),
        new("expenses", "Expenses", "Codat's Sync for Expenses: what an expense needs to be written to the books.",
            ["company", "chartOfAccounts", "suppliers", "customers", "taxRates", "trackingCategories", "bankAccounts"]),
    ];

    public static bool IsPredefined(string identifier) => All.Any(p => p.Identifier == identifier);

    /// <summary>
    /// Adds the predefined products the current client has no row for yet (a client created before they existed, or a
    /// fresh one). Idempotent; a concurrent request adding the same rows wins and this one carries on.
    /// </summary>
    public static async Task EnsureAsync(ConsentryDbContext db, TimeProvider time, CancellationToken ct)
    {
        var present = await db.Products.AsNoTracking().Where(p => All.Select(d => d.Identifier).Contains(p.Identifier)).Select(p => p.Identifier).ToListAsync(ct);
        if (present.Count == All.Count)
        {
            return;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var added = All.Where(d => !present.Contains(d.Identifier)).Select(d => new Product
        {
            Id = Guid.CreateVersion7(), Identifier = d.Identifier, Name = d.Name, Description = d.Description,
            DataTypes = [.. d.DataTypes], Created = now, Updated = now,
        }).ToList();
        db.Products.AddRange(added);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another request of the same client added them first: the rows exist, which is all this needed.
            foreach (var product in added)
            {
                db.Entry(product).State = EntityState.Detached;
            }
        }
    }
}
