using System.Text.Json.Nodes;

namespace Bridge.Sandbox.Emulators;

/// <summary>The emulator's Prefect Variables, by name, and every accepted write of them in order.</summary>
internal sealed class VariableStore
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, VariableRecord> variables = new(StringComparer.Ordinal);
    private readonly List<VariableWrite> writes = [];

    public IReadOnlyList<VariableWrite> Writes(string name)
    {
        lock (gate)
        {
            return [.. writes.Where(w => w.Name == name).Select(w => w with { Value = w.Value?.DeepClone() })];
        }
    }

    public VariableRecord? Find(string name)
    {
        lock (gate)
        {
            return variables.GetValueOrDefault(name) is { } v ? v with { Value = v.Value?.DeepClone() } : null;
        }
    }

    /// <summary>Creates a variable; null when the name is taken.</summary>
    public VariableRecord? Create(string name, JsonNode? value, IReadOnlyList<string> tags, DateTimeOffset now)
    {
        lock (gate)
        {
            if (variables.ContainsKey(name))
            {
                return null;
            }

            var record = new VariableRecord(Guid.NewGuid(), name, value?.DeepClone(), tags, now, now);
            variables[name] = record;
            writes.Add(new VariableWrite(name, value?.DeepClone(), now));
            return record with { Value = value?.DeepClone() };
        }
    }

    /// <summary>Updates a variable's value; false when there is none by that name.</summary>
    public bool Update(string name, JsonNode? value, DateTimeOffset now)
    {
        lock (gate)
        {
            if (!variables.TryGetValue(name, out var record))
            {
                return false;
            }

            variables[name] = record with { Value = value?.DeepClone(), Updated = now };
            writes.Add(new VariableWrite(name, value?.DeepClone(), now));
            return true;
        }
    }
}
