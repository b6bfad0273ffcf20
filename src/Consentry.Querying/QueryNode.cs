using System.Text;

namespace Consentry.Querying;

/// <summary>
/// A parsed query. <see cref="object.ToString"/> renders the canonical query text, which parses back to an
/// equivalent tree (handy in logs and tests).
/// </summary>
public abstract record QueryNode
{
    // Records would print their members; the query text is far more useful.
    public sealed override string ToString()
    {
        var builder = new StringBuilder();
        Write(builder);
        return builder.ToString();
    }

    internal abstract void Write(StringBuilder builder);
}

/// <summary>All operands must hold (<c>&amp;&amp;</c>). Chains are flattened, so there are always two or more.</summary>
public sealed record AndNode(IReadOnlyList<QueryNode> Operands) : QueryNode
{
    // Records compare lists by reference; trees are equal when their operands are.
    public bool Equals(AndNode? other) => other is not null && Operands.SequenceEqual(other.Operands);

    public override int GetHashCode() => Operands.Aggregate(typeof(AndNode).GetHashCode(), HashCode.Combine);

    internal override void Write(StringBuilder builder)
    {
        for (var i = 0; i < Operands.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(" && ");
            }

            // && binds tighter than ||, so an || inside an && needs its braces back.
            var operand = Operands[i];
            if (operand is OrNode)
            {
                builder.Append('{');
                operand.Write(builder);
                builder.Append('}');
            }
            else
            {
                operand.Write(builder);
            }
        }
    }
}

/// <summary>Any operand must hold (<c>||</c>). Chains are flattened, so there are always two or more.</summary>
public sealed record OrNode(IReadOnlyList<QueryNode> Operands) : QueryNode
{
    // Records compare lists by reference; trees are equal when their operands are.
    public bool Equals(OrNode? other) => other is not null && Operands.SequenceEqual(other.Operands);

    public override int GetHashCode() => Operands.Aggregate(typeof(OrNode).GetHashCode(), HashCode.Combine);

    internal override void Write(StringBuilder builder)
    {
        for (var i = 0; i < Operands.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(" || ");
            }

            Operands[i].Write(builder);
        }
    }
}

/// <summary>
/// One <c>property&lt;op&gt;value</c> condition. <paramref name="RawValue"/> is the text as written (unquoted and
/// trimmed); it is given a type only when the property it is compared with is known.
/// </summary>
public sealed record ComparisonNode(string Path, QueryOperator Operator, string RawValue) : QueryNode
{
    internal override void Write(StringBuilder builder)
    {
        builder.Append(Path).Append(Operator.ToSymbol());
        if (NeedsQuotes(RawValue))
        {
            builder.Append('"');
            foreach (var c in RawValue)
            {
                if (c is '"' or '\\')
                {
                    builder.Append('\\');
                }

                builder.Append(c);
            }

            builder.Append('"');
        }
        else
        {
            builder.Append(RawValue);
        }
    }

    // Quote exactly when the bare text would not read back as the same value.
    private static bool NeedsQuotes(string value) =>
        value.Length == 0
        || char.IsWhiteSpace(value[0])
        || char.IsWhiteSpace(value[^1])
        || value[0] == '"'
        || QuerySyntax.StartsWithOperator(value, 0)
        || QuerySyntax.IndexOfValueTerminator(value, 0) >= 0;
}
