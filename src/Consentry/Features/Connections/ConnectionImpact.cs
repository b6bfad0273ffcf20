using Consentry.Core.Connections;
using Consentry.Core.Integrations;

namespace Consentry.Features.Connections;

/// <summary>What disconnecting a connection affects, shown to the customer before they confirm.</summary>
public sealed record ConnectionImpactView(IReadOnlyList<string> DataTypes, IReadOnlyList<string> Products);

/// <summary>
/// A source of the products a connection serves. None is registered yet: the consent and lifecycle work adds one
/// (per-product consent), and every registered source is asked.
/// </summary>
public interface IConnectionProductSource
{
    Task<IReadOnlyList<string>> ProductsAsync(Connection connection, CancellationToken ct);
}

/// <summary>The impact of losing a connection: the data types its platform provides, and the products that use it.</summary>
public sealed class ConnectionImpacts(IntegrationCatalogue catalogue, IEnumerable<IConnectionProductSource> products)
{
    public async Task<ConnectionImpactView> OfAsync(Connection connection, CancellationToken ct)
    {
        var dataTypes = catalogue.Find(connection.PlatformKey)?.DataTypes.Select(d => d.DataType).ToList() ?? [];
        var served = new List<string>();
        foreach (var source in products)
        {
            served.AddRange(await source.ProductsAsync(connection, ct));
        }

        return new ConnectionImpactView(dataTypes, [.. served.Distinct(StringComparer.Ordinal)]);
    }
}
