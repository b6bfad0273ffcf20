using System.Text.Json.Nodes;
using Consentry.Api.Tests.Contract;

namespace Consentry.Api.Tests.Platforms.Plaid;

/// <summary>Plaid's OpenAPI document and Codat's banking shapes, loaded once.</summary>
public static class PlaidDocuments
{
    private static readonly Lazy<OpenApiSchemaValidator> PlaidValidator = new(() => new OpenApiSchemaValidator(VendorDocuments.Load("platforms/plaid/plaid-2020-09-14.yml")));

    /// <summary>Violations of a Plaid answer against a schema of Plaid's document (<c>TransactionsSyncResponse</c>…).</summary>
    public static IReadOnlyList<SchemaViolation> ValidatePlaid(JsonNode? body, string schemaName) =>
        PlaidValidator.Value.Validate(body, $"#/components/schemas/{schemaName}");

    /// <summary>Violations of a record against Codat's banking schema (<c>Account</c>, <c>AccountBalance</c>, <c>Transaction</c>), undeclared properties included.</summary>
    public static IReadOnlyList<SchemaViolation> ValidateBanking(JsonNode? record, string schemaName) =>
        CodatDataDocuments.CheckRecord(CodatDataDocuments.Banking, record, schemaName);
}
