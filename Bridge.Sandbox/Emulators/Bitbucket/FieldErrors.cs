namespace Bridge.Sandbox.Emulators;

/// <summary>Django REST framework style field errors, in the order they were found.</summary>
internal sealed class FieldErrors
{
    private readonly List<(string Field, string Message)> errors = [];

    public int Count => errors.Count;

    public void Add(string field, string message)
    {
        if (!errors.Any(e => e.Field == field))
        {
            errors.Add((field, message));
        }
    }

    public bool Has(string field) => errors.Any(e => e.Field == field);

    public IEnumerable<(string Field, string Message)> Items => errors;
}
