using Consentry.Core.Tenancy;

namespace Consentry.Core.Consents;

/// <summary>
/// A client's product (use case), e.g. <c>lending</c> or <c>spend-insights</c>: the set of data types it needs. A company
/// uses some products (<see cref="CompanyProduct"/>); a connection's data types are read only while an active consent of
/// one of them covers them.
/// </summary>
public sealed class Product : IClientOwned
{
    public const int MaxIdentifier = 50;
    public const int MaxName = 100;
    public const int MaxDescription = 1000;

    public Guid Id { get; set; }

    public Guid ClientId { get; set; }

    /// <summary>Lower-case letters, digits and dashes, unique per client (Codat's <c>productIdentifier</c>).</summary>
    public required string Identifier { get; set; }

    public required string Name { get; set; }

    public string? Description { get; set; }

    public List<string> DataTypes { get; set; } = [];

    public DateTime Created { get; set; }

    public DateTime Updated { get; set; }
}

/// <summary>A product a company uses (Codat's <c>PUT /companies/{companyId}/products/{productIdentifier}</c>).</summary>
public sealed class CompanyProduct : IClientOwned
{
    public Guid CompanyId { get; set; }

    public required string ProductIdentifier { get; set; }

    public Guid ClientId { get; set; }

    public DateTime Added { get; set; }
}
