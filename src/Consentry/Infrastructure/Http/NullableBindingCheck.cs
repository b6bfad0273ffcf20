using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;

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

    /// <summary>
    /// The handler's nullable parameters (and <c>[AsParameters]</c> properties) of the types <see cref="Parsers"/> knows,
    /// in binding order; a test keeps every nullable value an endpoint binds among them.
    /// </summary>
    internal static Check[] ChecksOf(Endpoint endpoint)
    {
        if (endpoint.Metadata.GetMetadata<MethodInfo>() is not { } handler)
        {
            return [];
        }

        var routeNames = (endpoint as RouteEndpoint)?.RoutePattern.Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase) ?? [];
        return [.. handler.GetParameters().SelectMany(Bound)
            .Where(b => Nullable.GetUnderlyingType(b.Type) is { } inner && Parsers.ContainsKey(inner))
            .Select(b =>
            {
                var (typeName, parses) = Parsers[Nullable.GetUnderlyingType(b.Type)!];
                return new Check(b.Name, typeName, parses, routeNames.Contains(b.Name));
            })];
    }

    /// <summary>The names and types a handler parameter binds: itself, or the settable properties of an <c>[AsParameters]</c> type.</summary>
    internal static IEnumerable<(string Name, Type Type)> Bound(ParameterInfo parameter) =>
        parameter.IsDefined(typeof(AsParametersAttribute), inherit: false)
            ? parameter.ParameterType.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => (p.Name, p.PropertyType))
            : [(parameter.Name!, parameter.ParameterType)];

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
