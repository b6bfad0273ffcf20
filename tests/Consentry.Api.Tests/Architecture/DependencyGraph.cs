using Mono.Cecil;

namespace Consentry.Api.Tests.Architecture;

/// <summary>
/// Which areas of the host assembly use which, read from its IL with Mono.Cecil: every type a type names in its
/// signatures, fields, attributes and method bodies (so a <c>using</c> that is never used does not count, and a fully
/// qualified name without a <c>using</c> does). An area is <c>Features.X</c>, <c>Domain</c>, <c>Connectors</c>,
/// <c>Infrastructure</c>, <c>Pages</c> (code-behind and compiled views) or <c>Host</c> (the rest, e.g. Program).
/// </summary>
internal static class DependencyGraph
{
    public static IReadOnlySet<(string From, string To)> Of(string assemblyPath)
    {
        using var module = ModuleDefinition.ReadModule(assemblyPath);
        var edges = new HashSet<(string, string)>();
        foreach (var type in module.GetTypes())
        {
            if (Area(type) is not { } from)
            {
                continue;
            }

            foreach (var used in Uses(type))
            {
                if (used.Scope == module && Area(used) is { } to && to != from)
                {
                    edges.Add((from, to));
                }
            }
        }

        return edges;
    }

    /// <summary>
    /// Every type (of any assembly) that the chosen types of the host name, read as <see cref="Of"/> reads them: a flat
    /// list of who uses what, for rules about single types rather than areas (e.g. pages never touching HTTP results).
    /// </summary>
    public static IReadOnlyList<TypeUse> UsesOf(string assemblyPath, Func<TypeDefinition, bool> chosen)
    {
        using var module = ModuleDefinition.ReadModule(assemblyPath);
        var uses = new List<TypeUse>();
        foreach (var type in module.GetTypes().Where(chosen))
        {
            var user = type;
            while (user.DeclaringType is { } declaringUser)
            {
                user = declaringUser; // a lambda's or async method's compiler-made type counts as its outermost type's
            }

            foreach (var used in Uses(type).DistinctBy(t => t.FullName))
            {
                var outer = used;
                while (outer.DeclaringType is { } declaring)
                {
                    outer = declaring;
                }

                uses.Add(new TypeUse(user.FullName, outer.Namespace, outer.Name, used.Scope == module));
            }
        }

        return uses;
    }

    /// <summary>
    /// The area of a type of this assembly (a nested or compiler-made type belongs to its outermost type's); null for the
    /// compiler's and generators' own types outside our namespaces (<c>&lt;PrivateImplementationDetails&gt;</c>, embedded attributes).
    /// </summary>
    public static string? Area(TypeReference type)
    {
        while (type.DeclaringType is { } outer)
        {
            type = outer;
        }

        var ns = type.Namespace;
        if (ns.StartsWith("AspNetCoreGeneratedDocument", StringComparison.Ordinal))
        {
            return "Pages";
        }

        var parts = ns.Split('.');
        if (parts[0] != "Consentry")
        {
            return null;
        }

        if (parts.Length < 2)
        {
            return "Host";
        }

        return parts[1] switch
        {
            "Features" when parts.Length > 2 => "Features." + parts[2],
            "Domain" or "Connectors" or "Infrastructure" or "Pages" => parts[1],
            _ => "Host",
        };
    }

    private static List<TypeReference> Uses(TypeDefinition type)
    {
        var found = new List<TypeReference>();
        void Add(TypeReference? t)
        {
            switch (t)
            {
                case null:
                    return;
                case GenericInstanceType generic:
                    Add(generic.ElementType);
                    foreach (var argument in generic.GenericArguments)
                    {
                        Add(argument);
                    }

                    return;
                case TypeSpecification spec:
                    Add(spec.ElementType);
                    return;
                case GenericParameter:
                    return;
                default:
                    found.Add(t);
                    return;
            }
        }

        void AddMember(MemberReference member)
        {
            switch (member)
            {
                case TypeReference t:
                    Add(t);
                    break;
                case MethodReference m:
                    Add(m.DeclaringType);
                    Add(m.ReturnType);
                    foreach (var p in m.Parameters)
                    {
                        Add(p.ParameterType);
                    }

                    if (m is GenericInstanceMethod gm)
                    {
                        foreach (var argument in gm.GenericArguments)
                        {
                            Add(argument);
                        }
                    }

                    break;
                case FieldReference f:
                    Add(f.DeclaringType);
                    Add(f.FieldType);
                    break;
            }
        }

        void AddAttributes(ICustomAttributeProvider provider)
        {
            foreach (var attribute in provider.CustomAttributes)
            {
                Add(attribute.AttributeType);
                foreach (var argument in attribute.ConstructorArguments.Concat(attribute.Properties.Select(p => p.Argument)))
                {
                    Add(argument.Value as TypeReference);
                }
            }
        }

        Add(type.BaseType);
        AddAttributes(type);
        foreach (var i in type.Interfaces)
        {
            Add(i.InterfaceType);
        }

        foreach (var field in type.Fields)
        {
            Add(field.FieldType);
            AddAttributes(field);
        }

        foreach (var property in type.Properties)
        {
            Add(property.PropertyType);
            AddAttributes(property);
        }

        foreach (var method in type.Methods)
        {
            AddMember(method);
            AddAttributes(method);
            foreach (var p in method.Parameters)
            {
                AddAttributes(p);
            }

            if (!method.HasBody)
            {
                continue;
            }

            foreach (var local in method.Body.Variables)
            {
                Add(local.VariableType);
            }

            foreach (var instruction in method.Body.Instructions)
            {
                if (instruction.Operand is MemberReference member)
                {
                    AddMember(member);
                }
            }
        }

        return found;
    }

    /// <summary>Pairs of areas that use each other both ways.</summary>
    public static IEnumerable<(string, string)> TwoWay(IReadOnlySet<(string From, string To)> edges) =>
        edges.Where(e => string.CompareOrdinal(e.From, e.To) < 0 && edges.Contains((e.To, e.From))).Order();
}

/// <summary>A type of the host (<paramref name="User"/>, outermost) naming another: the used type's outermost type, and whether it is the host's own.</summary>
internal sealed record TypeUse(string User, string Namespace, string Name, bool Ours)
{
    public string FullName => Namespace.Length == 0 ? Name : $"{Namespace}.{Name}";
}
