using System.Globalization;
using System.Text.Json.Nodes;
using Consentry.Connectors.Data;
using Stripe;

namespace Consentry.Connectors.Platforms.Stripe;

/// <summary>
/// Stripe's objects (as Stripe.net reads them) → Codat's commerce shapes (Codat-Commerce.json). Pure: no HTTP. The
/// account is the company profile; customers; products with their default price as the one variant; charges are payments
/// (a refund is a separate negative payment, as Codat records refunds); balance transactions are transactions (the
/// processing fee a separate PaymentFee, as Codat splits them); disputes. Amounts are in the currency's major unit
/// (Stripe sends minor units). Stripe has no modified date on most objects, so <c>sourceModifiedDate</c> is the creation.
/// </summary>
public static class StripeMapping
{
    /// <summary>Codat's data types, in reading order.</summary>
    public static readonly IReadOnlyList<string> DataTypes =
        ["commerce-companyInfo", "commerce-customers", "commerce-products", "commerce-payments", "commerce-transactions", "commerce-disputes"];

    /// <summary>Stripe's zero-decimal currencies (docs.stripe.com/currencies#zero-decimal).</summary>
    private static readonly HashSet<string> ZeroDecimal = new(StringComparer.OrdinalIgnoreCase)
    {
        "bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf",
    };

    /// <summary>Three-decimal currencies: Stripe counts them in thousandths.</summary>
    private static readonly HashSet<string> ThreeDecimal = new(StringComparer.OrdinalIgnoreCase) { "bhd", "jod", "kwd", "omr", "tnd" };

    /// <summary>The account's name as its owner sees it.</summary>
    public static string DisplayName(Account a) => First(a.BusinessProfile?.Name, a.Settings?.Dashboard?.DisplayName, a.Email, a.Id)!;

    public static MappedRecord CompanyInfo(Account a, DateTime readAt)
    {
        var json = new JsonObject
        {
            ["companyName"] = DisplayName(a),
            ["commercePlatformRef"] = a.Id,
            ["companyLegalName"] = a.Company?.Name,
            ["addresses"] = a.Country is { } country ? new JsonArray(new JsonObject { ["type"] = "Billing", ["country"] = country }) : new JsonArray(),
            ["phoneNumbers"] = a.BusinessProfile?.SupportPhone is { } phone ? new JsonArray(new JsonObject { ["number"] = phone, ["type"] = "Primary" }) : new JsonArray(),
            ["webLinks"] = a.BusinessProfile?.Url is { } url ? new JsonArray(new JsonObject { ["type"] = "Website", ["url"] = url }) : new JsonArray(),
            ["baseCurrency"] = Currency(a.DefaultCurrency),
            ["sourceUrls"] = new JsonObject { ["dashboard"] = $"https://dashboard.stripe.com/{a.Id}" },
            ["createdDate"] = Iso(a.Created),
        };
        return Record(a.Id, json, a.Created, readAt);
    }

    public static MappedRecord Customer(Customer c, DateTime readAt)
    {
        var address = c.Address is { } a
            ? new JsonArray(Compact(new JsonObject
            {
                ["type"] = "Billing", ["line1"] = a.Line1, ["line2"] = a.Line2, ["city"] = a.City, ["region"] = a.State,
                ["country"] = a.Country, ["postalCode"] = a.PostalCode,
            }))
            : new JsonArray();
        var json = new JsonObject
        {
            ["id"] = c.Id,
            ["customerName"] = First(c.Name, c.Email, c.Id),
            ["emailAddress"] = c.Email,
            ["phone"] = c.Phone,
            ["defaultCurrency"] = Currency(c.Currency),
            ["addresses"] = address,
            ["note"] = c.Description,
            ["createdDate"] = Iso(c.Created),
        };
        return Record(c.Id, json, c.Created, readAt);
    }

    /// <summary>A product, its default price (expanded on the list) as its one variant.</summary>
    public static MappedRecord Product(Product p, DateTime readAt)
    {
        var variant = new JsonObject
        {
            ["id"] = p.DefaultPriceId ?? p.Id,
            ["name"] = p.Name,
            ["shippingRequired"] = p.Shippable,
            ["status"] = p.Active ? "Published" : "Unpublished",
            ["prices"] = p.DefaultPrice is { UnitAmount: { } unit } price
                ? new JsonArray(new JsonObject { ["currency"] = Currency(price.Currency), ["unitPrice"] = Amount(unit, price.Currency) })
                : new JsonArray(),
            ["createdDate"] = Iso(p.Created),
            ["modifiedDate"] = Iso(readAt),
            ["sourceModifiedDate"] = Iso(p.Updated),
        };
        var json = new JsonObject
        {
            ["id"] = p.Id,
            ["name"] = p.Name,
            ["description"] = p.Description,
            ["isGiftCard"] = false,
            ["variants"] = new JsonArray(Compact(variant)),
        };
        // Codat's product has no dates of its own: they are its variant's.
        return new MappedRecord(p.Id, p.Updated, Compact(json).ToJsonString());
    }

    /// <summary>A charge is a payment; what was refunded of it is a second, negative payment (<c>{chargeId}-refund</c>).</summary>
    public static IEnumerable<MappedRecord> Payments(Charge c, DateTime readAt)
    {
        var method = c.PaymentMethodDetails?.Type ?? "card";
        JsonObject Payment(string id, long amount, string status) => new()
        {
            ["id"] = id,
            ["amount"] = Amount(amount, c.Currency),
            ["currency"] = Currency(c.Currency),
            ["paymentMethodRef"] = new JsonObject { ["id"] = c.PaymentMethod ?? method, ["name"] = method },
            ["status"] = status,
            ["paymentProvider"] = "Stripe",
            ["createdDate"] = Iso(c.Created),
        };

        yield return Record(c.Id, Payment(c.Id, c.Amount, c.Status switch
        {
            "succeeded" => "Paid",
            "pending" => "Pending",
            "failed" => "Failed",
            _ => "Unknown",
        }), c.Created, readAt);
        if (c.AmountRefunded > 0)
        {
            yield return Record($"{c.Id}-refund", Payment($"{c.Id}-refund", -c.AmountRefunded, "Paid"), c.Created, readAt);
        }
    }

    /// <summary>A balance transaction; its processing fee, when there is one, is a PaymentFee of its own (<c>{txnId}-fee</c>).</summary>
    public static IEnumerable<MappedRecord> Transactions(BalanceTransaction t, DateTime readAt)
    {
        var source = t.SourceId is { } id ? new JsonObject { ["id"] = id, ["type"] = SourceType(t.Type) } : null;
        JsonObject Transaction(string recordId, long amount, string type, string subType) => Compact(new JsonObject
        {
            ["id"] = recordId,
            ["totalAmount"] = Amount(amount, t.Currency),
            ["currency"] = Currency(t.Currency),
            ["type"] = type,
            ["subType"] = subType,
            ["transactionSourceRef"] = source?.DeepClone(),
            ["createdDate"] = Iso(t.Created),
            ["sourceCreatedDate"] = Iso(t.Created),
        });

        yield return Record(t.Id, Transaction(t.Id, t.Amount, TransactionType(t.Type), t.Type), t.Created, readAt);
        if (t.Fee != 0)
        {
            yield return Record($"{t.Id}-fee", Transaction($"{t.Id}-fee", -t.Fee, t.Fee > 0 ? "PaymentFee" : "PaymentFeeRefund", "stripe_fee"), t.Created, readAt);
        }
    }

    public static MappedRecord Dispute(Dispute d, DateTime readAt)
    {
        var json = new JsonObject
        {
            ["id"] = d.Id,
            ["disputedTransactions"] = d.ChargeId is { } charge ? new JsonArray(new JsonObject { ["id"] = charge, ["type"] = "Payment" }) : new JsonArray(),
            ["totalAmount"] = Amount(d.Amount, d.Currency),
            ["currency"] = Currency(d.Currency),
            ["status"] = DisputeStatus(d.Status),
            ["reason"] = d.Reason,
            ["dueDate"] = Iso(d.EvidenceDetails?.DueBy),
            ["createdDate"] = Iso(d.Created),
        };
        return Record(d.Id, json, d.Created, readAt);
    }

    /// <summary>Stripe's dispute statuses → Codat's (<c>warning_*</c> are inquiries).</summary>
    public static string DisputeStatus(string? status) => status switch
    {
        "warning_needs_response" => "InquiryEvidenceRequired",
        "warning_under_review" => "InquiryProcessing",
        "warning_closed" => "InquiryClosed",
        "needs_response" => "EvidenceRequired",
        "under_review" => "Processing",
        "charge_refunded" => "ChargeRefunded",
        "won" => "Won",
        "lost" => "Lost",
        _ => "Unknown",
    };

    /// <summary>Stripe's balance transaction types → Codat's transaction types.</summary>
    public static string TransactionType(string? type) => type switch
    {
        "charge" or "payment" => "Payment",
        "refund" or "payment_refund" => "Refund",
        "payout" => "Payout",
        "payout_failure" or "payout_cancel" => "FailedPayout",
        "transfer" or "transfer_refund" => "Transfer",
        "stripe_fee" or "application_fee" or "stripe_fx_fee" or "tax_fee" => "PaymentFee",
        "application_fee_refund" => "PaymentFeeRefund",
        _ => "Unknown",
    };

    /// <summary>A minor-unit amount in the currency's major unit.</summary>
    public static decimal Amount(long minor, string? currency) =>
        currency is not null && ZeroDecimal.Contains(currency) ? minor
        : currency is not null && ThreeDecimal.Contains(currency) ? minor / 1000m
        : minor / 100m;

    private static string SourceType(string? type) => type switch
    {
        "charge" or "payment" or "refund" or "payment_refund" => "Payment",
        "stripe_fee" or "application_fee" => "Fee",
        _ => "Unknown",
    };

    private static MappedRecord Record(string id, JsonObject json, DateTime? sourceModified, DateTime readAt)
    {
        json["sourceModifiedDate"] = Iso(sourceModified);
        json["modifiedDate"] = Iso(readAt);
        return new MappedRecord(id, sourceModified, Compact(json).ToJsonString());
    }

    /// <summary>Codat leaves out what the platform does not have (its schemas type those fields as strings, not null).</summary>
    private static JsonObject Compact(JsonObject json)
    {
        foreach (var key in json.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            json.Remove(key);
        }

        return json;
    }

    private static string? Currency(string? stripe) => stripe?.ToUpperInvariant();

    private static string? First(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

    private static string? Iso(DateTime? value) =>
        value is { } v && v > DateTime.UnixEpoch ? DateTime.SpecifyKind(v, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : null;
}
