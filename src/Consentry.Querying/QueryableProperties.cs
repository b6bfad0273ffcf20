using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;

namespace Consentry.Querying;

/// <summary>Builds the condition for a property name that is not registered, e.g. a company tag key.</summary>
/// <param name="key">The property name as written in the query (a dotted path stays whole).</param>
/// <param name="op">One of <c>=</c>, <c>!=</c> or <c>~</c>: dynamic properties are strings.</param>
/// <param name="value">The raw value.</param>
public delegate Expression<Func<T, bool>> DynamicPropertyBuilder<T>(string key, QueryOperator op, string value);

/// <summary>
/// What a query may filter and order <typeparamref name="T"/> by: the names clients use, mapped to
/// expressions over the entity. Names are matched case-insensitively. Configure one per entity at startup and
/// share it: reading is thread-safe, configuring is not.
/// </summary>
/// <example>
/// <code>
/// var companies = new QueryableProperties&lt;Company&gt;("Company")
///     .Add("id", c =&gt; c.Id)
///     .Add("name", c =&gt; c.Name)
///     .Add("created", c =&gt; c.Created)
///     .AddCollection("dataConnections", c =&gt; c.Connections, connections)
///     .WithKeyValueCollection(c =&gt; c.Tags, t =&gt; t.Key, t =&gt; t.Value);
/// </code>
/// </example>
public sealed class QueryableProperties<T> : IQueryablePropertyMap
{
    private readonly Dictionary<string, QueryProperty> _properties = new(StringComparer.OrdinalIgnoreCase);
    private DynamicPropertyResolver? _dynamic;

    /// <param name="entityName">How errors name the entity: "Could not resolve property x on <paramref name="entityName"/>".</param>
    public QueryableProperties(string entityName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(entityName);
        EntityName = entityName;
    }

    public string EntityName { get; }

    DynamicPropertyResolver? IQueryablePropertyMap.Dynamic => _dynamic;

    /// <summary>
    /// Registers a value property. Its type decides the operators: strings <c>= != ~</c>; numbers and dates
    /// (<see cref="DateTime"/>, <see cref="DateTimeOffset"/>, <see cref="DateOnly"/>) <c>= != &gt; &lt; &gt;= &lt;=</c>;
    /// booleans, enums and <see cref="Guid"/>s <c>= !=</c>. Nullable versions of these work too.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not a single path segment, is taken, or the type cannot be queried.</exception>
    public QueryableProperties<T> Add<TValue>(string name, Expression<Func<T, TValue>> selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        var valueType = QueryValueTypes.Classify(typeof(TValue))
            ?? throw new ArgumentException($"Properties of type {typeof(TValue).Name} cannot be queried.", nameof(selector));
        return Register(name, new ScalarProperty(name, selector, valueType));
    }

    /// <summary>Registers a single child object, queried as <c>name.childProperty</c>. A null child matches nothing.</summary>
    public QueryableProperties<T> AddNested<TChild>(string name, Expression<Func<T, TChild?>> selector, QueryableProperties<TChild> properties)
    {
        ArgumentNullException.ThrowIfNull(selector);
        ArgumentNullException.ThrowIfNull(properties);
        return Register(name, new NestedProperty(name, selector, properties));
    }

    /// <summary>
    /// Registers a collection, queried as <c>name.childProperty</c>; the condition holds when any element
    /// satisfies it (<c>x =&gt; x.Items.Any(e =&gt; ...)</c>).
    /// </summary>
    public QueryableProperties<T> AddCollection<TChild>(string name, Expression<Func<T, IEnumerable<TChild>>> selector, QueryableProperties<TChild> properties)
    {
        ArgumentNullException.ThrowIfNull(selector);
        ArgumentNullException.ThrowIfNull(properties);
        return Register(name, new CollectionProperty(name, selector, typeof(TChild), properties));
    }

    /// <summary>
    /// Sends names that are not registered to <paramref name="builder"/> instead of failing, with string
    /// semantics (<c>= != ~</c>). Replaces any earlier fallback. Note that a misspelt property name then
    /// matches nothing instead of being reported. The builder's value reaches the database as a parameter only if the builder
    /// captures it in a closure, as lambdas do.
    /// </summary>
    public QueryableProperties<T> WithDynamic(DynamicPropertyBuilder<T> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        _dynamic = (instance, key, op, value) => ExpressionBuilder.Inline(builder(key, op, value), instance);
        return this;
    }

    /// <summary>
    /// Treats names that are not registered as keys of a key/value collection such as company tags:
    /// <c>region=uk</c> becomes <c>x =&gt; x.Tags.Any(t =&gt; t.Key == "region" &amp;&amp; t.Value == "uk")</c>.
    /// Keys match exactly; values follow the usual string rules (<c>~</c> ignores case). <c>region!=uk</c> matches
    /// entities that have a region tag whose value is not uk. Replaces any earlier fallback.
    /// </summary>
    public QueryableProperties<T> WithKeyValueCollection<TItem>(
        Expression<Func<T, IEnumerable<TItem>>> collection,
        Expression<Func<TItem, string>> key,
        Expression<Func<TItem, string?>> value)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        _dynamic = (instance, keyName, op, rawValue) =>
        {
            var item = Expression.Parameter(typeof(TItem), "item");
            var keyMatches = Expression.Equal(ExpressionBuilder.Inline(key, item), ExpressionBuilder.Parameter(keyName, typeof(string)));
            var valueMatches = ExpressionBuilder.Compare(ExpressionBuilder.Inline(value, item), op, rawValue);
            return ExpressionBuilder.Any(
                ExpressionBuilder.Inline(collection, instance),
                Expression.Lambda(Expression.AndAlso(keyMatches, valueMatches), item));
        };
        return this;
    }

    /// <summary>Translates a parsed query into a predicate, or an error naming what could not be translated.</summary>
    public QueryResult<Expression<Func<T, bool>>> ToPredicate(QueryNode query) => QueryTranslator.ToPredicate(query, this);

    /// <summary>
    /// Translates with <paramref name="index"/> narrowing <c>~</c> conditions on this entity's own properties: the
    /// predicate becomes <c>index candidates &amp;&amp; plain condition</c>, so it matches exactly what the plain one does.
    /// </summary>
    public QueryResult<Expression<Func<T, bool>>> ToPredicate(QueryNode query, SubstringIndex<T>? index) =>
        QueryTranslator.ToPredicate(query, this, index);

    /// <summary>
    /// Parses and translates <paramref name="query"/>. Null, empty or whitespace means "no filter": success
    /// with a null predicate.
    /// </summary>
    public QueryResult<Expression<Func<T, bool>>?> TryBuildFilter(string? query) => TryBuildFilter(query, null);

    /// <summary>The same, with <paramref name="index"/> narrowing <c>~</c> conditions (see <see cref="SubstringIndex{T}"/>).</summary>
    public QueryResult<Expression<Func<T, bool>>?> TryBuildFilter(string? query, SubstringIndex<T>? index)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            return QueryResult.Success<Expression<Func<T, bool>>?>(null);
        }

        var parsed = QueryParser.Parse(query);
        if (!parsed.IsSuccess)
        {
            return QueryResult.Failure<Expression<Func<T, bool>>?>(parsed.Error);
        }

        var predicate = ToPredicate(parsed.Value, index);
        return predicate.IsSuccess
            ? QueryResult.Success<Expression<Func<T, bool>>?>(predicate.Value)
            : QueryResult.Failure<Expression<Func<T, bool>>?>(predicate.Error);
    }

    bool IQueryablePropertyMap.TryGetProperty(string name, [NotNullWhen(true)] out QueryProperty? property) =>
        _properties.TryGetValue(name, out property);

    private QueryableProperties<T> Register(string name, QueryProperty property)
    {
        ArgumentNullException.ThrowIfNull(name);

        // Names must be single path segments, or the parser could never produce a path that reaches them.
        if (!QuerySyntax.IsValidPath(name) || name.Contains('.', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{name}' is not a valid property name: use letters, digits, '_' and '-' only.", nameof(name));
        }

        if (!_properties.TryAdd(name, property))
        {
            throw new ArgumentException($"Property '{name}' is already registered on {EntityName}.", nameof(name));
        }

        return this;
    }
}
