using Consentry.Connectors.Generic;
using Consentry.Core.Integrations;

namespace Consentry.Connectors;

/// <summary>Finds the connector of a platform: the one that claims its key, else the generic <see cref="CatalogueConnector"/>.</summary>
public sealed class PlatformConnectors
{
    private readonly Dictionary<string, IPlatformConnector> _byKey;
    private readonly CatalogueConnector _generic;

    public PlatformConnectors(IEnumerable<IPlatformConnector> connectors, CatalogueConnector generic)
    {
        _generic = generic;
        _byKey = new Dictionary<string, IPlatformConnector>(StringComparer.Ordinal);
        foreach (var connector in connectors)
        {
            foreach (var key in connector.PlatformKeys)
            {
                if (!_byKey.TryAdd(key, connector))
                {
                    throw new InvalidOperationException($"Two connectors claim the platform {key}.");
                }
            }
        }
    }

    public IPlatformConnector For(string platformKey) => _byKey.GetValueOrDefault(platformKey) ?? _generic;

    /// <summary>The data types Consentry can read from <paramref name="integration"/>.</summary>
    public IReadOnlyCollection<string> Readable(IntegrationDefinition integration) => For(integration.PlatformKey).Readable(integration);
}
