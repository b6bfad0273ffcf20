using Consentry.Core.Connections;
using Consentry.Querying;

namespace Consentry.Core.Companies;

/// <summary>What Codat's query language may filter and order companies by.</summary>
public static class CompanyQueries
{
    public static readonly QueryableProperties<Company> Properties = new QueryableProperties<Company>("Company")
        .Add("id", c => c.Id)
        .Add("name", c => c.Name)
        .Add("description", c => c.Description)
        .Add("created", c => c.Created)
        .Add("lastSync", c => c.LastSync)
        .AddCollection("dataConnections", c => c.Connections, ConnectionQueries.Properties);

    /// <summary>The separate <c>tags</c> parameter: every name is a tag key (<c>region=uk &amp;&amp; team~invoice</c>).</summary>
    public static readonly QueryableProperties<Company> Tags = new QueryableProperties<Company>("Company tags")
        .WithKeyValueCollection(c => c.Tags, t => t.Key, t => t.Value);
}
