using System.Text.Json;
using System.Text.Json.Serialization;

namespace Consentry.Infrastructure.Http;

/// <summary>
/// Codat's JSON conventions: camelCase, enums as their names, and nulls left out (Codat's SDKs reject null
/// for many optional fields).
/// </summary>
public static class ApiJson
{
    public const int MaxDepth = 32;

    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.MaxDepth = MaxDepth;
        options.Converters.Add(new JsonStringEnumConverter());
        return options;
    }
}
