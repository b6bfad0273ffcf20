namespace Consentry.Features.CustomData;

/// <summary>Codat's <c>CustomDataTypeConfiguration</c>: where a custom data type is read from, and what of it is kept.</summary>
public sealed record CustomDataTypeConfiguration(
    string? DataSource, Dictionary<string, string>? RequiredData, List<string>? KeyBy, List<string>? SourceModifiedDate);

/// <summary>Codat's <c>SupplementalDataConfiguration</c>: named sets of extra platform fields for one data type.</summary>
public sealed record SupplementalDataConfiguration(Dictionary<string, SupplementalDataSource>? SupplementalDataConfig);

/// <summary>One named set: the platform endpoint, and the client's names for the platform fields to pull (and push).</summary>
public sealed record SupplementalDataSource(string? DataSource, Dictionary<string, string>? PullData, Dictionary<string, string>? PushData);

/// <summary>Codat's paged <c>CustomDataTypeRecords</c>.</summary>
public sealed record CustomDataTypeRecords(IReadOnlyList<System.Text.Json.JsonElement> Results, int PageNumber, int PageSize, int TotalResults);

/// <summary>How custom data types sit among the standard ones in datasets, schedules and the record cache.</summary>
public static class CustomDataTypes
{
    /// <summary>Custom types are stored as <c>custom/{identifier}</c>: no standard type has a slash, so they never collide.</summary>
    public const string Prefix = "custom/";

    /// <summary>Identifiers fit the 64-character data type columns with the prefix.</summary>
    public const int MaxIdentifierLength = 64 - 7;

    public static string DataType(string identifier) => Prefix + identifier;

    public static bool IsCustom(string dataType, out string identifier)
    {
        identifier = dataType.StartsWith(Prefix, StringComparison.Ordinal) ? dataType[Prefix.Length..] : "";
        return identifier.Length > 0;
    }

    /// <summary>Codat's data types that take supplemental data (the path parameter's enum in Codat's document).</summary>
    public static readonly IReadOnlySet<string> SupplementalTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "chartOfAccounts", "bills", "company", "creditNotes", "customers", "invoices", "items", "journalEntries", "suppliers", "taxRates",
        "commerce-companyInfo", "commerce-customers", "commerce-disputes", "commerce-locations", "commerce-orders", "commerce-payments",
        "commerce-paymentMethods", "commerce-products", "commerce-productCategories", "commerce-taxComponents", "commerce-transactions",
    };
}
