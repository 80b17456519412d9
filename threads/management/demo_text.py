"""The demo archive's words. Written for RP Archive; not taken from anywhere."""

STORY = {
    "title": "The Salt Lantern",
    "summary": (
        "On the fog coast of Carrow Point the lighthouse has gone dark three nights running. "
        "Marisol, the keeper's apprentice, wants to know why. Corwin, who makes his living "
        "from ships that arrive unseen, would rather she didn't.\n\n"
        "*A two-hander with a harbourmaster who knows more than she says.*"
    ),
    "tags": ["lighthouse", "smugglers", "slow burn", "mystery", "found family"],
}

CHARACTERS = {
    "marisol": {
        "name": "Marisol Vey",
        "tagline": "Apprentice keeper of the Carrow Point light",
        "pronouns": "she/her",
        "description": (
            "Nineteen, stubborn, and better with a wrench than with people. Marisol took the "
            "apprenticeship because nobody else would climb the tower in winter.\n\n"
            "- Keeps a logbook of every ship she sees\n- Cannot whistle, tries anyway"
        ),
        "colour": (46, 94, 120),
    },
    "tamsin": {
        "name": "Tamsin Orrel",
        "tagline": "Harbourmaster, forty years on the quay",
        "pronouns": "she/her",
        "description": "Sees every boat in and out of Carrow, and writes down about half of them.",
        "colour": (120, 72, 40),
    },
    "corwin": {
        "name": "Corwin Ashdown",
        "tagline": "A fisherman who never seems to catch fish",
        "pronouns": "he/him",
        "description": (
            "Charming on purpose, honest by accident. Corwin runs the *Grey Wren* out past the "
            "shoals on nights when the light is low, and he likes it that way."
        ),
        "colour": (70, 110, 60),
    },
}

# Each chapter: title, summary, scenes. Each scene: title, setting, participants (in posting
# order), and posts as (character key or None for narration, writer key, text).
CHAPTERS = [
    {
        "title": "Three Dark Nights",
        "summary": "The light fails, and the apprentice goes looking for the reason.",
        "scenes": [
            {
                "title": "The Cold Lamp",
                "setting": "The lantern room of Carrow Point lighthouse, before dawn",
                "participants": ["marisol", "corwin"],
                "posts": [
                    (
                        None,
                        "ines",
                        "Fog had sat on Carrow Point for a week, thick as wet wool. At the top of the tower the great lamp stood cold for the third morning running.",
                    ),
                    (
                        "marisol",
                        "ines",
                        'Marisol set her lantern on the grating and ran a thumb along the brass. *Clean.* No soot, no cracked mantle, nothing a storm would do.\n\n"You didn\'t go out on your own," she told the lamp. "Somebody put you out."',
                    ),
                    (
                        "corwin",
                        "kofi",
                        'The door at the bottom of the stairs banged, and a voice drifted up the spiral, cheerful and breathless. "Hello the tower! Anyone up there who\'ll sell a tired man a cup of tea?"',
                    ),
                    (
                        "marisol",
                        "ines",
                        'She leaned over the rail. A lean figure in an oilskin was halfway up, dripping on her clean steps.\n\n"The light\'s closed to visitors. So is the tea."',
                    ),
                    (
                        "corwin",
                        "kofi",
                        '"Closed, is it?" He kept climbing anyway and arrived grinning, cap in hand. "Corwin Ashdown. I fish. Mostly I lose nets. I saw no light last night and thought the keeper might be ill."',
                    ),
                    (
                        "marisol",
                        "ines",
                        '"The keeper is in Brannock with a broken leg. I\'m what\'s left." She watched his eyes go straight to the lamp, then away from it, a little too quickly. "You were out last night? In this?"',
                    ),
                    (
                        "corwin",
                        "kofi",
                        '"Fish don\'t mind fog." He turned the cap in his hands. "Neither do I, much. Though it\'d be a kindness to us poor fishermen if that lamp stayed dark a while longer. Saves oil, doesn\'t it?"',
                    ),
                    (
                        "marisol",
                        "ines",
                        '"It saves nothing if a ship goes onto the Teeth." She picked up her wrench, not quite pointing it at him. "Who told you the light was out, Mr Ashdown? You can\'t see the tower from the water in this."',
                    ),
                    (
                        "corwin",
                        "kofi",
                        'For the first time, the grin slipped. He looked at the wrench, then at her, and laughed softly. "Sharp. All right. Nobody told me. I just hoped."',
                    ),
                    (
                        None,
                        "ines",
                        "Below them, the tide turned against the rocks, and somewhere out in the white a ship's bell rang twice and fell silent.",
                    ),
                    (
                        "marisol",
                        "ines",
                        '"Then you can hope somewhere else." Marisol struck a match and held it to the wick. It caught, sputtered, and held. "The light is lit. Mind the stairs on your way down."',
                    ),
                ],
            },
            {
                "title": "The Harbourmaster's Book",
                "setting": "Tamsin Orrel's office on the quay, mid-morning",
                "participants": ["tamsin", "corwin"],
                "posts": [
                    (
                        None,
                        "ines",
                        "The harbour office smelled of tar, wet paper and the stove that never quite drew. Tamsin Orrel sat behind a ledger the size of a door.",
                    ),
                    (
                        "tamsin",
                        "ines",
                        '"Ashdown." She did not look up. "You\'re dripping on my floor. Again. What did the *Wren* bring in last night?"',
                    ),
                    (
                        "corwin",
                        "kofi",
                        '"Nothing, Mrs Orrel. Not a sprat." He spread his empty hands. "It\'s a hard life, honest fishing."',
                    ),
                    (
                        "tamsin",
                        "ines",
                        'She dipped her pen and wrote a single line, slowly, so he could read it upside down: *Grey Wren. Returned 4 a.m. Nothing declared.* "The girl up the tower lit the lamp this morning."',
                    ),
                    (
                        "corwin",
                        "kofi",
                        '"So I saw." He sat on the edge of her desk, uninvited. "She\'s good. Too good. She asked me who told me it was out."',
                    ),
                    (
                        "tamsin",
                        "ines",
                        '"And who did?"\n\nShe put the pen down at last and looked at him over her spectacles, the way she had looked at him when he was nine and had stolen a crab pot.',
                    ),
                    (
                        "corwin",
                        "kofi",
                        '"You did, Tamsin." Very quietly. "Three nights ago. You said the light would be dark and the way would be clear. I\'d like to know who paid for that."',
                    ),
                    (
                        "tamsin",
                        "ines",
                        'The stove ticked. Outside a gull complained about something. "Go home, Corwin," she said at last. "And stay off the water until I say."',
                    ),
                ],
            },
        ],
    },
    {
        "title": "What the Fog Hides",
        "summary": "An uneasy truce, and a ship that should not be there.",
        "scenes": [
            {
                "title": "Signals",
                "setting": "The gallery of the lighthouse, the following night",
                "participants": ["marisol", "corwin"],
                "posts": [
                    (
                        None,
                        "ines",
                        "The second night the lamp burned clean and steady. Marisol sat on the gallery with her logbook on her knees and a blanket round her shoulders.",
                    ),
                    (
                        "marisol",
                        "ines",
                        "She heard him before she saw him: boots on the iron stair, careful this time. \"If that's tea you're after, you're still out of luck.\"",
                    ),
                    (
                        "corwin",
                        "kofi",
                        '"Brought my own." He held up a dented flask and sat a polite distance away. "I owe you an apology, and a warning. The apology is that I lied to you."',
                    ),
                    (
                        "marisol",
                        "ines",
                        '"I know." She didn\'t look up from the logbook. "What\'s the warning?"',
                    ),
                    (
                        "corwin",
                        "kofi",
                        '"Someone wants this light dark on the next new moon, and they won\'t ask politely twice." He poured tea into the flask\'s cap and offered it to her. "I don\'t know who. I mean to find out."',
                    ),
                    (
                        "marisol",
                        "ines",
                        'She took the cup. It was terrible tea, stewed and sweet. "Why tell me?"\n\n"Because you lit it anyway," he said. "Nobody\'s done that to them before."',
                    ),
                    (
                        None,
                        "ines",
                        "Far out past the Teeth, a light blinked: three short, one long. Then nothing.",
                    ),
                    (
                        "corwin",
                        "kofi",
                        'Corwin was on his feet before the cup hit the grating. "That\'s no ship\'s lantern," he said. "That\'s somebody answering a signal. Ours was meant to be the dark."',
                    ),
                    (
                        "marisol",
                        "ines",
                        'Marisol flipped the logbook open and ran her finger down the page. "Three short, one long. I\'ve written it down before." She turned the book to him. "That\'s the fourth time this month."',
                    ),
                    (
                        "corwin",
                        "kofi",
                        '"Fourth?" He came to the rail beside her, all the charm gone out of his face. "Show me every one."',
                    ),
                ],
            },
        ],
    },
]

# Posts awaiting a moderator, added after the approved ones so they sit last in their scenes:
# (chapter index, scene index, character key or None, writer key, kind, text).
PENDING = [
    (
        0,
        1,
        "corwin",
        "kofi",
        "ic",
        'Corwin slid off the desk and put his cap back on. "Until you say," he agreed, and did not mean a word of it.',
    ),
    (
        1,
        0,
        None,
        "kofi",
        "ooc",
        "Away at the weekend, back Monday. Marisol's up! Happy for her to find the next signal in the log.",
    ),
]
