namespace OrleansSlm.Frontend.Endpoints;

public sealed record ServiceDescription(string Service, string Status, string Version, string Mode, IReadOnlyList<string> Models);
