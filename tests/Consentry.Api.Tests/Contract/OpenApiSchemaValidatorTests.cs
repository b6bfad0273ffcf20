using System.Text.Json.Nodes;

namespace Consentry.Api.Tests.Contract;

/// <summary>The validator on hand-made schemas, so a contract test can never pass because the validator accepts everything.</summary>
public sealed class OpenApiSchemaValidatorTests
{
    private const string Document = """
        {
          "paths": {
            "/things/{thingId}/parts": {
              "post": { "requestBody": { "content": { "application/json": { "schema": {
                "allOf": [ { "properties": { "thingId": { "type": "string", "format": "uuid" } } } ]
              } } } } }
            }
          },
          "components": { "schemas": {
            "Status": { "type": "string", "enum": ["Active", "Closed"] },
            "When": { "type": "string" },
            "Thing": {
              "type": "object",
              "additionalProperties": false,
              "required": ["id", "name", "status"],
              "properties": {
                "id": { "$ref": "#/paths/~1things~1%7BthingId%7D~1parts/post/requestBody/content/application~1json/schema/allOf/0/properties/thingId" },
                "name": { "type": "string", "minLength": 1, "maxLength": 5, "pattern": "^[a-z]*$" },
                "status": { "$ref": "#/components/schemas/Status" },
                "closed": { "$ref": "#/components/schemas/When", "nullable": true },
                "size": { "type": "integer", "minimum": 1, "maximum": 10 },
                "site": { "type": "string", "format": "uri" },
                "at": { "type": "string", "format": "date-time" },
                "tags": { "type": "object", "maxProperties": 2, "additionalProperties": { "type": "string" } },
                "parts": { "type": "array", "items": { "$ref": "#/components/schemas/Part" } },
                "note": { "type": ["string", "null"] }
              }
            },
            "Part": { "type": "object", "required": ["n"], "properties": { "n": { "type": "integer" } } },
            "Either": { "oneOf": [ { "type": "string" }, { "type": "integer" } ] },
            "Any": { "anyOf": [ { "type": "string", "maxLength": 2 }, { "type": "boolean" } ] },
            "Both": { "allOf": [ { "required": ["a"] }, { "required": ["b"] } ] },
            "Int": { "type": "integer", "format": "int32" },
            "Above": { "type": "number", "minimum": 3, "exclusiveMinimum": true },
            "NotText": { "not": { "type": "string" } },
            "Two": { "oneOf": [ { "type": "string" }, { "type": "string", "maxLength": 3 } ] },
            "Tilde": { "$ref": "#/components/schemas/a~0b~1c" },
            "a~b/c": { "type": "boolean" }
          } }
        }
        """;

    private const string ValidThing = """
        {"id":"3fa85f64-5717-4562-b3fc-2c963f66afa6","name":"abc","status":"Active","closed":null,"size":3,
         "site":"https://example.com/x","at":"2024-01-02T03:04:05Z","tags":{"a":"1"},"parts":[{"n":1}],"note":null}
        """;

    private readonly OpenApiSchemaValidator _validator = new(JsonNode.Parse(Document)!);

    [Fact]
    public void Validate_ValidInstance_ReturnsNoViolations()
    {
        Assert.Empty(Thing(ValidThing));
    }

    [Theory]
    [InlineData("name", "5", "$.name", "type")]
    [InlineData("size", "\"3\"", "$.size", "type")]
    [InlineData("size", "2.5", "$.size", "type")]
    [InlineData("size", "11", "$.size", "maximum")]
    [InlineData("size", "0", "$.size", "minimum")]
    [InlineData("status", "\"Open\"", "$.status", "enum")]
    [InlineData("status", "null", "$.status", "type")]
    [InlineData("id", "\"not-a-uuid\"", "$.id", "format")]
    [InlineData("id", "\"3fa85f64571745623b3fc2c963f66afa6\"", "$.id", "format")]
    [InlineData("name", "\"\"", "$.name", "minLength")]
    [InlineData("name", "\"abcdef\"", "$.name", "maxLength")]
    [InlineData("name", "\"ABC\"", "$.name", "pattern")]
    [InlineData("site", "\"/relative/path\"", "$.site", "format")]
    [InlineData("site", "\"not a url\"", "$.site", "format")]
    [InlineData("at", "\"2024-13-45T00:00:00Z\"", "$.at", "format")]
    [InlineData("at", "\"yesterday\"", "$.at", "format")]
    [InlineData("tags", "{\"a\":\"1\",\"b\":\"2\",\"c\":\"3\"}", "$.tags", "maxProperties")]
    [InlineData("tags", "{\"a\":1}", "$.tags.a", "type")]
    [InlineData("parts", "[{\"n\":1},{}]", "$.parts[1].n", "required")]
    [InlineData("parts", "{}", "$.parts", "type")]
    [InlineData("note", "5", "$.note", "type")]
    [InlineData("extra", "1", "$.extra", "additionalProperties")]
    public void Validate_OneBadProperty_ReportsItsPathAndRule(string property, string json, string path, string keyword)
    {
        var thing = JsonNode.Parse(ValidThing)!.AsObject();
        thing[property] = JsonNode.Parse(json);

        var violation = Assert.Single(Thing(thing.ToJsonString()));

        Assert.Equal(path, violation.InstancePath);
        Assert.Equal(keyword, violation.Keyword);
    }

    [Fact]
    public void Validate_MissingRequired_ReportsEachMissingProperty()
    {
        var violations = Thing("""{"status":"Closed"}""");

        Assert.Equal(["$.id", "$.name"], violations.Select(v => v.InstancePath));
        Assert.All(violations, v => Assert.Equal("required", v.Keyword));
    }

    [Fact]
    public void Validate_ManyProblems_CollectsAllOfThem()
    {
        var violations = Thing("""{"id":"x","name":7,"status":"Gone","size":99,"other":true,"parts":[{"n":"1"}]}""");

        Assert.Equal(
            ["$.id format", "$.name type", "$.status enum", "$.size maximum", "$.other additionalProperties", "$.parts[0].n type"],
            violations.Select(v => $"{v.InstancePath} {v.Keyword}"));
    }

    [Fact]
    public void Validate_WrongRootType_IsRejected()
    {
        Assert.Equal("type", Assert.Single(Thing("[]")).Keyword);
        Assert.Equal("type", Assert.Single(Thing("null")).Keyword);
    }

    [Theory]
    [InlineData("\"text\"", true)]
    [InlineData("12", true)]
    [InlineData("true", false)]
    public void Validate_OneOf_NeedsExactlyOneMatch(string json, bool valid)
    {
        Assert.Equal(valid, _validator.Validate(JsonNode.Parse(json), "#/components/schemas/Either").Count == 0);
    }

    [Theory]
    [InlineData("\"ab\"", true)]
    [InlineData("false", true)]
    [InlineData("\"abc\"", false)]
    [InlineData("1", false)]
    public void Validate_AnyOf_NeedsOneMatch(string json, bool valid)
    {
        Assert.Equal(valid, _validator.Validate(JsonNode.Parse(json), "#/components/schemas/Any").Count == 0);
    }

    [Theory]
    [InlineData("Int", "5", null)]
    [InlineData("Int", "2147483648", "format")]
    [InlineData("Above", "3.5", null)]
    [InlineData("Above", "3", "exclusiveMinimum")] // OpenAPI 3.0's boolean form, converted to 2020-12's number
    [InlineData("NotText", "1", null)]
    [InlineData("NotText", "\"x\"", "not")]
    [InlineData("Two", "\"abcd\"", null)]
    [InlineData("Two", "\"ab\"", "oneOf")] // both branches match: one violation, not one per branch
    public void Validate_OpenApiKeywords_ReportOneViolationWithItsKeyword(string schema, string json, string? keyword)
    {
        var violations = _validator.Validate(JsonNode.Parse(json), $"#/components/schemas/{schema}");

        Assert.Equal(keyword, keyword is null ? null : Assert.Single(violations).Keyword);
        Assert.True(keyword is not null || violations.Count == 0, string.Join("; ", violations));
    }

    [Fact]
    public void Validate_AllOf_AppliesEverySchema()
    {
        Assert.Empty(_validator.Validate(JsonNode.Parse("""{"a":1,"b":2}"""), "#/components/schemas/Both"));
        Assert.Equal("$.b", Assert.Single(_validator.Validate(JsonNode.Parse("""{"a":1}"""), "#/components/schemas/Both")).InstancePath);
    }

    [Fact]
    public void Resolve_EscapedPointers_FollowsTildeSlashAndPercentEncoding()
    {
        Assert.Empty(_validator.Validate(JsonNode.Parse("true"), "#/components/schemas/Tilde"));
        Assert.Single(_validator.Validate(JsonNode.Parse("1"), "#/components/schemas/Tilde"));
        Assert.Equal("uuid", _validator.Resolve(
            "#/paths/~1things~1%7BthingId%7D~1parts/post/requestBody/content/application~1json/schema/allOf/0/properties/thingId")["format"]!
            .GetValue<string>());
    }

    [Fact]
    public void Resolve_UnknownTarget_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => _validator.Resolve("#/components/schemas/Nope"));
        Assert.Throws<InvalidOperationException>(() => _validator.Resolve("other.json#/x"));
    }

    [Fact]
    public void Validate_FalseSchema_RejectsEverything()
    {
        Assert.Single(_validator.Validate(JsonNode.Parse("{}"), JsonValue.Create(false)));
        Assert.Empty(_validator.Validate(JsonNode.Parse("{}"), JsonValue.Create(true)));
    }

    [Fact]
    public void CodatSpec_KnownBugs_AreCorrectedAndRealSchemasStillReject()
    {
        var validator = CodatSpec.Validator;
        var feature = JsonNode.Parse("""{"dataType":"invoices","supportedFeatures":[{"featureType":"Get","featureState":"Release"}]}""");
        Assert.Empty(validator.Validate(feature, "#/components/schemas/Integration/definitions/dataTypeFeature"));
        var paging = JsonNode.Parse("""{"pageNumber":1,"pageSize":5000,"totalResults":0,"_links":{"self":{"href":"/x"},"current":{"href":"/x?page=1"}}}""");
        Assert.Empty(validator.Validate(paging, "#/components/schemas/PagingInfo"));

        paging!["pageSize"] = 5001;
        Assert.Equal("maximum", Assert.Single(validator.Validate(paging, "#/components/schemas/PagingInfo")).Keyword);
        var connection = JsonNode.Parse("""{"id":"nope","status":"Broken","extra":1}""");
        var violations = validator.Validate(connection, "#/components/schemas/Connection").Select(v => $"{v.InstancePath} {v.Keyword}").ToList();
        Assert.Contains("$.id format", violations);
        Assert.Contains("$.status enum", violations);
        Assert.Contains("$.extra additionalProperties", violations);
        Assert.Contains("$.linkUrl required", violations);
    }

    private IReadOnlyList<SchemaViolation> Thing(string json) => _validator.Validate(JsonNode.Parse(json), "#/components/schemas/Thing");
}
