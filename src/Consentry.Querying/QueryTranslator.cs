using System.Linq.Expressions;

namespace Consentry.Querying;

/// <summary>
/// Turns a <see cref="QueryNode"/> into <c>Expression&lt;Func&lt;T, bool&gt;&gt;</c> using a property map. This
/// is where names, operators and values are checked against what the entity offers.
/// </summary>
internal static class QueryTranslator
{
    public static QueryResult<Expression<Func<T, bool>>> ToPredicate<T>(
        QueryNode query, QueryableProperties<T> properties, SubstringIndex<T>? index = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        var entity = Expression.Parameter(typeof(T), "x");
        IndexLookup? lookup = index is null ? null : (property, term, instance) =>
            index(property, term) is { } candidates ? ExpressionBuilder.Inline(candidates, instance) : null;
        var body = new Translation(properties.EntityName, properties, lookup).Translate(query, properties, entity);
        return body.IsSuccess
            ? QueryResult.Success(Expression.Lambda<Func<T, bool>>(body.Value, entity))
            : QueryResult.Failure<Expression<Func<T, bool>>>(body.Error);
    }

    /// <summary>(registered property name, raw term, instance) → the index's candidate condition, or null.</summary>
    private delegate Expression? IndexLookup(string property, string term, Expression instance);

    /// <param name="rootEntityName">Errors name the entity the client queried, even for a nested property's failure.</param>
    /// <param name="root">The queried entity's map: only its own properties can be served by <paramref name="index"/>.</param>
    /// <param name="substringIndex">Narrows <c>~</c> on the root entity's properties with a database index, when given.</param>
    private sealed class Translation(string rootEntityName, IQueryablePropertyMap root, IndexLookup? substringIndex)
    {
        public QueryResult<Expression> Translate(QueryNode node, IQueryablePropertyMap properties, Expression instance) => node switch
        {
            AndNode and => TranslateAll(and.Operands, properties, instance, Expression.AndAlso),
            OrNode or => TranslateAll(or.Operands, properties, instance, Expression.OrElse),
            ComparisonNode comparison => TranslateComparison(comparison, comparison.Path.Split('.'), 0, properties, instance),
            _ => throw new ArgumentOutOfRangeException(nameof(node), node.GetType().Name, "Unknown query node."),
        };

        private QueryResult<Expression> TranslateAll(
            IReadOnlyList<QueryNode> operands,
            IQueryablePropertyMap properties,
            Expression instance,
            Func<Expression, Expression, Expression> join)
        {
            var conditions = new List<Expression>(operands.Count);
            foreach (var operand in operands)
            {
                var condition = Translate(operand, properties, instance);
                if (!condition.IsSuccess)
                {
                    return condition;
                }

                conditions.Add(condition.Value);
            }

            return QueryResult.Success(ExpressionBuilder.Combine(conditions, join));
        }

        /// <summary>Resolves <c>segments[index..]</c> against <paramref name="properties"/>, descending one segment per call.</summary>
        private QueryResult<Expression> TranslateComparison(
            ComparisonNode comparison,
            string[] segments,
            int index,
            IQueryablePropertyMap properties,
            Expression instance)
        {
            var isLast = index == segments.Length - 1;
            if (!properties.TryGetProperty(segments[index], out var property))
            {
                return properties.Dynamic is { } dynamic
                    ? TranslateDynamic(comparison, string.Join('.', segments[index..]), dynamic, instance)
                    : Fail(QueryErrors.UnknownProperty(comparison.Path, rootEntityName));
            }

            var member = ExpressionBuilder.Inline(property.Selector, instance);
            switch (property)
            {
                case ScalarProperty scalar when isLast:
                {
                    var exact = TranslateScalar(comparison, member, scalar.ValueType);
                    return exact.IsSuccess && comparison.Operator == QueryOperator.Contains && substringIndex is not null
                        && ReferenceEquals(properties, root) && substringIndex(scalar.Name, comparison.RawValue, instance) is { } candidates
                        ? QueryResult.Success<Expression>(Expression.AndAlso(candidates, exact.Value))
                        : exact;
                }

                case ScalarProperty:
                    // e.g. "name.first" where name is a string.
                    return Fail(QueryErrors.UnknownProperty(comparison.Path, rootEntityName));

                case NestedProperty or CollectionProperty when isLast:
                    return Fail(QueryErrors.NotAValue(comparison.Path, rootEntityName));

                case NestedProperty nested:
                {
                    var inner = TranslateComparison(comparison, segments, index + 1, nested.Properties, member);
                    return inner.IsSuccess ? QueryResult.Success(ExpressionBuilder.NotNullAnd(member, inner.Value)) : inner;
                }

                case CollectionProperty collection:
                {
                    var element = Expression.Parameter(collection.ElementType, segments[index]);
                    var inner = TranslateComparison(comparison, segments, index + 1, collection.Properties, element);
                    return inner.IsSuccess
                        ? QueryResult.Success(ExpressionBuilder.Any(member, Expression.Lambda(inner.Value, element)))
                        : inner;
                }

                default:
                    throw new InvalidOperationException($"Unknown property kind {property.GetType().Name}.");
            }
        }

        private static QueryResult<Expression> TranslateScalar(ComparisonNode comparison, Expression member, QueryValueType valueType)
        {
            if (!valueType.Supports(comparison.Operator))
            {
                return Fail(QueryErrors.UnsupportedOperator(comparison.Operator, comparison.Path, valueType));
            }

            if (!QueryValueParser.TryParse(comparison.RawValue, member.Type, out var value, out var hint))
            {
                // Codat does not support querying null; say so rather than that "null" is not a number.
                if (string.Equals(comparison.RawValue, "null", StringComparison.OrdinalIgnoreCase))
                {
                    hint = "querying null is not supported";
                }

                return Fail(QueryErrors.InvalidValue(comparison.RawValue, valueType, comparison.Path, hint));
            }

            return QueryResult.Success(ExpressionBuilder.Compare(member, comparison.Operator, value));
        }

        private static QueryResult<Expression> TranslateDynamic(
            ComparisonNode comparison,
            string key,
            DynamicPropertyResolver dynamic,
            Expression instance)
        {
            // Dynamic properties (tag values) are strings.
            return QueryValueType.String.Supports(comparison.Operator)
                ? QueryResult.Success(dynamic(instance, key, comparison.Operator, comparison.RawValue))
                : Fail(QueryErrors.UnsupportedOperator(comparison.Operator, comparison.Path, QueryValueType.String));
        }

        private static QueryResult<Expression> Fail(string error) => QueryResult.Failure<Expression>(error);
    }
}
