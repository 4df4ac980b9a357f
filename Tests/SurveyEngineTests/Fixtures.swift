import SurveyEngine

/// A small questionnaire with branching, piping, validation and a measure, built from JSON text.
enum Sample {
    static let json = """
    {
      "id": "sample", "version": "2", "title": "Sample",
      "questions": [
        {"id": "reported", "type": "yesno", "label": "Did you report it?"},
        {"id": "how", "type": "single", "label": "How?", "showIf": "${reported} = 'yes'",
         "choices": [{"code": "phone", "label": "Phone"}, {"code": "online", "label": "Online"}]},
        {"id": "sat", "type": "scale", "label": "How satisfied were you with ${how}?", "showIf": "answered(${how})",
         "choices": [{"code": "vs", "label": "Very satisfied"}, {"code": "fs", "label": "Fairly satisfied"},
                     {"code": "n", "label": "Neither"}, {"code": "fd", "label": "Fairly dissatisfied"},
                     {"code": "vd", "label": "Very dissatisfied"}, {"code": "dk", "label": "Don't know", "excludeFromBase": true}]},
        {"id": "kinds", "type": "multiple", "label": "Kinds", "required": false,
         "choices": [{"code": "noise", "label": "Noise"}, {"code": "drugs", "label": "Drugs"},
                     {"code": "none", "label": "None of these", "exclusive": true}]},
        {"id": "age", "type": "number", "label": "Age", "min": 16, "max": 120, "integer": true,
         "validate": {"expression": ". != 99", "message": "99 is reserved"}},
        {"id": "when", "type": "date", "label": "When", "required": false,
         "validate": {"expression": ". <= today()", "message": "The date must be today or in the past"}},
        {"id": "comment", "type": "text", "label": "Anything else?", "required": false, "maxLength": 5}
      ],
      "measures": [{"id": "m", "label": "Satisfied", "question": "sat", "satisfied": ["vs", "fs"], "baseline": 0.6}]
    }
    """

    static func questionnaire() throws -> Questionnaire {
        try QuestionnaireLoader.load(bytes: Array(json.utf8), id: "sample", source: "sample.json")
    }
}
