using Consentry.Core.Clients;
using Consentry.Core.Link;
using Consentry.Features.Link.Localization;

namespace Consentry.Features.Link;

/// <summary>What the Link pages call the app: never the instance's placeholder client name "Default".</summary>
public static class LinkBrand
{
    public static string Name(LinkSettings settings, Client? client)
    {
        if (!string.IsNullOrWhiteSpace(settings.CompanyName))
        {
            return settings.CompanyName;
        }

        if (client is not null && !string.IsNullOrWhiteSpace(client.Name) && !string.Equals(client.Name.Trim(), "Default", StringComparison.OrdinalIgnoreCase))
        {
            return client.Name;
        }

        // The app's own address is what the customer came from: "copay.example" reads better than "Default".
        var host = client?.Profile.WhiteListUrls.Select(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) ? uri.Host : null).FirstOrDefault(h => !string.IsNullOrEmpty(h));
        return host ?? DataTypeLabels.Text("the app");
    }
}
