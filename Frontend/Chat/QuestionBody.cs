namespace OrleansSlm.Frontend.Chat;

/// <summary><c>POST /question</c>, the replaced service's contract.</summary>
public sealed class QuestionBody
{
    public string? Question { get; set; }
}
