using Consentry.Infrastructure.Options;
using Microsoft.Extensions.Options;

namespace Consentry.Infrastructure.Http;

/// <summary>Builds the absolute URLs Consentry hands out (Link URLs, image URLs) from <c>Consentry__PublicBaseUrl</c>.</summary>
public sealed class PublicUrls
{
    public PublicUrls(IOptions<ConsentryOptions> options, IConfiguration configuration)
    {
        BaseUrl = (options.Value.PublicBaseUrl ?? FirstListeningUrl(configuration)).TrimEnd('/');
    }

    public string BaseUrl { get; }

    public string CompanyLink(Guid companyId) => $"{BaseUrl}/link/company/{companyId}";

    public string ConnectionLink(Guid companyId, Guid connectionId) =>
        $"{BaseUrl}/link/companies/{companyId}/connections/{connectionId}/start";

    public string Absolute(string path) => BaseUrl + path;

    /// <summary>Without a public URL configured, use the first <c>--urls</c> entry, with wildcard hosts as localhost.</summary>
    private static string FirstListeningUrl(IConfiguration configuration)
    {
        var first = (configuration["urls"] ?? configuration["ASPNETCORE_URLS"] ?? "http://localhost:5000")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault() ?? "http://localhost:5000";
        return first.Replace("://+", "://localhost", StringComparison.Ordinal)
            .Replace("://*", "://localhost", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal)
            .Replace("://[::]", "://localhost", StringComparison.Ordinal);
    }
}
