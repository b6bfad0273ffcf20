using System.Text.Json;
using Consentry.Sandbox.Platforms;
using Microsoft.AspNetCore.Http;

namespace Consentry.Sandbox;

/// <summary>Where the sandbox is mounted, and the URLs derived from it.</summary>
internal sealed class SandboxSite(string prefix, SandboxOptions options)
{
    /// <summary>The mount prefix: empty or "/segment…", never a trailing slash.</summary>
    public string Prefix { get; } = Normalize(prefix);

    public SandboxOptions Options { get; } = options;

    /// <summary>The path of a platform's root on this host (with the host's path base), e.g. <c>/sandbox/sbac</c>.</summary>
    public string PlatformPath(HttpContext context, SandboxPlatform platform) =>
        $"{context.Request.PathBase}{Prefix}/{platform.Key}";

    /// <summary>The platform's issuer identifier (RFC 8414 / RFC 9207), also the base of its endpoint URLs.</summary>
    public string Issuer(HttpContext context, SandboxPlatform platform) =>
        Options.BaseUrl is { Length: > 0 } baseUrl
            ? $"{baseUrl.TrimEnd('/')}/{platform.Key}"
            : $"{context.Request.Scheme}://{context.Request.Host}{PlatformPath(context, platform)}";

    public static string Normalize(string prefix)
    {
        var trimmed = prefix.Trim().Trim('/');
        return trimmed.Length == 0 ? "" : "/" + trimmed;
    }
}

/// <summary>The sandbox's own JSON settings, so that the host's API conventions never change what it answers.</summary>
internal static class SandboxJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}
