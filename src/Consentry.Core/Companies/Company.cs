using Consentry.Core.Connections;
using Consentry.Core.Settings;
using Consentry.Core.Tenancy;

namespace Consentry.Core.Companies;

/// <summary>A business (the app's customer) sharing access to its data.</summary>
public sealed class Company : IClientOwned
{
    public Guid Id { get; set; }

    public Guid ClientId { get; set; }

    public required string Name { get; set; }

    public string? Description { get; set; }

    public DateTime Created { get; set; }

    public DateTime? LastSync { get; set; }

    public List<CompanyTag> Tags { get; set; } = [];

    public List<Connection> Connections { get; set; } = [];

    /// <summary>The products (use cases) the company uses.</summary>
    public List<Consents.CompanyProduct> Products { get; set; } = [];

    /// <summary>Per-company sync settings that override the client's; null when the company has none.</summary>
    public SyncSettingsDocument? SyncSettings { get; set; }

    public void ReplaceTags(IReadOnlyDictionary<string, string>? tags)
    {
        Tags.Clear();
        foreach (var (key, value) in tags ?? new Dictionary<string, string>())
        {
            Tags.Add(new CompanyTag { Key = key, Value = value });
        }
    }
}

/// <summary>One key/value tag of a company, kept as a row so that tag queries run in the database.</summary>
public sealed class CompanyTag
{
    public Guid CompanyId { get; set; }

    public required string Key { get; set; }

    public required string Value { get; set; }
}
