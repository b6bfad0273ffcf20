using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;

namespace Consentry.Querying;

/// <summary>
/// The untyped view of a <see cref="QueryableProperties{T}"/> that the translator walks: nested maps have other
/// entity types, so the walk cannot stay generic.
/// </summary>
internal interface IQueryablePropertyMap
{
    string EntityName { get; }

    /// <summary>Builds the condition for a property name not registered on this map; null when there is no fallback.</summary>
    DynamicPropertyResolver? Dynamic { get; }

    bool TryGetProperty(string name, [NotNullWhen(true)] out QueryProperty? property);
}

/// <summary>(instance, key, operator, raw value) → a boolean expression over the instance.</summary>
internal delegate Expression DynamicPropertyResolver(Expression instance, string key, QueryOperator op, string rawValue);

/// <summary>A registered property; <see cref="Selector"/> is a one-parameter lambda from the owning entity.</summary>
internal abstract record QueryProperty(string Name, LambdaExpression Selector);

/// <summary>A value queries compare with directly.</summary>
internal sealed record ScalarProperty(string Name, LambdaExpression Selector, QueryValueType ValueType)
    : QueryProperty(Name, Selector);

/// <summary>A single child object whose properties are reached with a dotted path (<c>customerRef.id</c>).</summary>
internal sealed record NestedProperty(string Name, LambdaExpression Selector, IQueryablePropertyMap Properties)
    : QueryProperty(Name, Selector);

/// <summary>A collection of child objects; a condition on it holds when it holds for any element.</summary>
internal sealed record CollectionProperty(string Name, LambdaExpression Selector, Type ElementType, IQueryablePropertyMap Properties)
    : QueryProperty(Name, Selector);
