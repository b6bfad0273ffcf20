using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http.Metadata;

namespace Consentry.Infrastructure.Http;

/// <summary>
/// The Request Delegate Generator (on in Consentry.csproj) answers a nullable value it cannot parse (<c>?page=abc</c>,
/// <c>?connectionId=x</c>) with an empty 400 and no exception, although <c>RouteHandlerOptions.ThrowOnBadRequest</c>
/// asks for one (its other parameters do throw, as the runtime binder does for all). This check runs just before the
/// endpoint and throws the runtime binder's exception for those parameters, in their order, so the answer stays the
/// Codat error <c>Failed to bind parameter "int? Page" from "abc".</c> with either binder.
/// </summary>
internal static class NullableBindingCheck
{
    /// <summary>The nullable values the endpoints bind from the route or query string, as the runtime binder names them.</summary>
    private static readonly Dictionary<Type, (string Name, Func<string, bool> Parses)> Parsers = new()
    {
        [typeof(int)] = ("int?", static s => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)),
        [typeof(Guid)] = ("Guid?", static s => Guid.TryParse(s, out _)),
    };

    private static readonly ConditionalWeakTable<Endpoint, Check[]> ChecksByEndpoint = [];

    /// <summary>After every middleware, so a failure takes the same path as the binder's own exception.</summary>
    public static IApplicationBuilder UseNullableBindingCheck(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            if (context.GetEndpoint() is { } endpoint)
            {
                foreach (var check in ChecksByEndpoint.GetValue(endpoint, ChecksOf))
                {
                    check.ThrowIfUnparsable(context);
                }
            }

            return next(context);
        });

    /// <summary>The nullable parsable parameters of an endpoint that <see cref="Parsers"/> knows (all Consentry has; a test keeps it so).</summary>
    internal static Check[] ChecksOf(Endpoint endpoint)
    {
        var routeNames = (endpoint as RouteEndpoint)?.RoutePattern.Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase) ?? [];
        return [.. endpoint.Metadata.GetOrderedMetadata<ParameterBindingMetadata>()
            .Where(p => p.HasTryParse && Nullable.GetUnderlyingType(p.ParameterInfo.ParameterType) is { } inner && Parsers.ContainsKey(inner))
            .Select(p =>
            {
                var (typeName, parses) = Parsers[Nullable.GetUnderlyingType(p.ParameterInfo.ParameterType)!];
                return new Check(p.Name, typeName, parses, routeNames.Contains(p.Name));
            })];
    }

    internal sealed record Check(string Name, string TypeName, Func<string, bool> Parses, bool FromRoute)
    {
        public void ThrowIfUnparsable(HttpContext context)
        {
            var value = FromRoute ? context.Request.RouteValues[Name]?.ToString() : (string?)context.Request.Query[Name];
            if (!string.IsNullOrEmpty(value) && !Parses(value))
            {
                throw new BadHttpRequestException($"Failed to bind parameter \"{TypeName} {Name}\" from \"{value}\".", StatusCodes.Status400BadRequest);
            }
        }
    }
}
