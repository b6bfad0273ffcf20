using Consentry.Querying;

namespace Consentry.Core.Connections;

/// <summary>What Codat's query language may filter and order connections by.</summary>
public static class ConnectionQueries
{
    public static readonly QueryableProperties<Connection> Properties = new QueryableProperties<Connection>("Connection")
        .Add("id", c => c.Id)
        .Add("integrationId", c => c.IntegrationId)
        .Add("integrationKey", c => c.PlatformKey)
        .Add("platformKey", c => c.PlatformKey)
        .Add("sourceId", c => c.SourceId)
        .Add("sourceType", c => c.SourceType)
        .Add("platformName", c => c.PlatformName)
        .Add("status", c => c.Status)
        .Add("created", c => c.Created)
        .Add("lastSync", c => c.LastSync);
}
