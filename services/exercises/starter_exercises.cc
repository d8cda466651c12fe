#include "services/exercises/starter_exercises.h"

#include <initializer_list>
#include <optional>
#include <string>
#include <utility>

#include "services/common/timestamps.h"
#include "services/exercises/exercise_store.h"

namespace confide {
namespace {

constexpr v1::PlanDiscipline kSexTherapy = v1::PLAN_DISCIPLINE_SEX_THERAPY;
constexpr v1::PlanDiscipline kPhysio = v1::PLAN_DISCIPLINE_PELVIC_FLOOR_PHYSIOTHERAPY;
constexpr v1::PlanDiscipline kPsychology = v1::PLAN_DISCIPLINE_PSYCHOLOGY;

constexpr v1::DoseParameter kSets = v1::DOSE_PARAMETER_SETS;
constexpr v1::DoseParameter kReps = v1::DOSE_PARAMETER_REPS;
constexpr v1::DoseParameter kHold = v1::DOSE_PARAMETER_HOLD_SECONDS;
constexpr v1::DoseParameter kRest = v1::DOSE_PARAMETER_REST_SECONDS;
constexpr v1::DoseParameter kMinutes = v1::DOSE_PARAMETER_DURATION_MINUTES;

// What the couples' exercises ask a clinician to check first: they assume a safe relationship.
constexpr std::string_view kCoupleSafety =
    "Intimate partner violence, coercion or pressure to have sex: do not prescribe shared "
    "exercises; assess safety with the patient alone first.";
constexpr std::string_view kTouchTrauma =
    "Trauma symptoms (flashbacks, dissociation) triggered by touch: stabilise and build grounding "
    "skills with the treating therapist first.";
constexpr std::string_view kBodyFocusTrauma =
    "Flashbacks or dissociation when attending to the body, especially the pelvis: offer a "
    "shorter, eyes-open version and build grounding skills with the treating therapist first.";

struct Content {
  std::string_view key;
  std::string_view title;
  std::string_view discreet_title;
  v1::ExerciseCategory category;
  std::string_view patient_instructions;
  std::string_view clinician_notes;
  std::initializer_list<v1::DoseParameter> parameters;
  std::initializer_list<std::string_view> contraindications;
  std::initializer_list<v1::PlanDiscipline> disciplines;
};

StarterExercise Make(const Content& c) {
  StarterExercise starter{.key = c.key};
  v1::Exercise& e = starter.exercise;
  e.set_title(std::string(c.title));
  e.set_discreet_title(std::string(c.discreet_title));
  e.set_category(c.category);
  e.set_patient_instructions(std::string(c.patient_instructions));
  e.set_clinician_notes(std::string(c.clinician_notes));
  for (v1::DoseParameter p : c.parameters) {
    e.add_parameters(p);
  }
  for (std::string_view text : c.contraindications) {
    e.add_contraindications(std::string(text));
  }
  for (v1::PlanDiscipline d : c.disciplines) {
    e.add_disciplines(d);
  }
  return starter;
}

}  // namespace

std::vector<StarterExercise> StarterExercises() {
  std::vector<StarterExercise> set;
  set.push_back(Make({
      .key = "down-training-breathing",
      .title = "Belly breathing with pelvic-floor release",
      .discreet_title = "Breathing practice",
      .category = v1::EXERCISE_CATEGORY_DOWN_TRAINING,
      .patient_instructions =
          "This is a gentle way to help your pelvic floor learn to let go. There is nothing to "
          "get right or wrong: you are simply noticing and softening.\n\n"
          "1. Find a comfortable position: lying on your back with your knees bent and resting "
          "on a pillow, or sitting in a chair with your feet flat on the floor.\n"
          "2. Rest one hand on your chest and one on your belly, just below your ribs.\n"
          "3. Breathe in slowly through your nose. Let your belly rise under your hand while "
          "your chest stays fairly still. As you breathe in, imagine the muscles between your "
          "sit bones softening and gently widening, like a flower opening.\n"
          "4. Breathe out slowly through your mouth, as if sighing. Let your belly fall. There "
          "is no need to squeeze or push; just let the breath leave.\n"
          "5. Carry on for the time on your programme, often 5 to 10 minutes.\n\n"
          "If your mind wanders, that is completely normal: gently bring your attention back to "
          "your breath. If you feel light-headed, breathe more slowly and less deeply, or take "
          "a break. Some days this will feel easier than others, and that is all part of it.",
      .clinician_notes =
          "Down-training for pelvic-floor overactivity: diaphragmatic inhalation is coupled with "
          "pelvic-floor descent. Teach in supported crook lying first, then progress to sitting "
          "and standing so the patient can use it before dilator practice, examinations and "
          "intimacy. Cue a relaxed, unforced exhale (no bearing down). A good warm-up before "
          "every dilator session. Consider biofeedback or real-time ultrasound when the patient "
          "cannot feel the release.",
      .parameters = {kMinutes},
      .contraindications =
          {"Light-headedness or tingling suggest over-breathing: slow the pace and reduce the "
           "depth.",
           "Within post-operative restrictions after abdominal or pelvic surgery: check with the "
           "surgical team first."},
      .disciplines = {kPhysio, kSexTherapy},
  }));
  set.push_back(Make({
      .key = "body-scan-relaxation",
      .title = "Guided relaxation and body scan",
      .discreet_title = "Quiet time",
      .category = v1::EXERCISE_CATEGORY_RELAXATION,
      .patient_instructions =
          "A body scan is a chance to rest and notice how your body feels, without needing to "
          "change anything.\n\n"
          "1. Lie down or sit somewhere warm and comfortable where you won't be disturbed. You "
          "can close your eyes or rest your gaze on one spot.\n"
          "2. Take a few slow breaths.\n"
          "3. Bring your attention to your feet. Notice whatever is there: warmth, coolness, "
          "tingling, pressure, or nothing much at all. Whatever you notice is fine.\n"
          "4. Slowly move your attention up through your body: ankles, legs, hips, pelvis, "
          "belly, back, chest, hands, arms, shoulders, neck, jaw and face. Spend a few breaths "
          "on each area.\n"
          "5. When you reach an area that feels tense, imagine breathing into it and letting it "
          "soften a little as you breathe out. If it doesn't soften, that's okay too.\n"
          "6. Finish with a few breaths noticing your whole body at once.\n\n"
          "If any area, including your pelvis, brings up uncomfortable feelings, you can move "
          "your attention on or open your eyes. You are in charge of this practice.",
      .clinician_notes =
          "Attention-based relaxation lowers the general arousal and hypervigilance that keep "
          "the fear-tension-pain cycle going. Audio guidance (add a media link) helps adherence. "
          "Trauma-informed pacing: offer an eyes-open version and permission to skip the pelvic "
          "region at first.",
      .parameters = {kMinutes},
      .contraindications = {kBodyFocusTrauma},
      .disciplines = {kSexTherapy, kPsychology, kPhysio},
  }));
  set.push_back(Make({
      .key = "mindfulness-meditation",
      .title = "Mindfulness meditation",
      .discreet_title = "Mindful minutes",
      .category = v1::EXERCISE_CATEGORY_MINDFULNESS,
      .patient_instructions =
          "Mindfulness means paying gentle attention to what is happening right now, with "
          "kindness rather than judgement.\n\n"
          "1. Sit comfortably, upright but not stiff, and rest your hands in your lap.\n"
          "2. Notice your breath where you feel it most easily: your nose, chest or belly. You "
          "don't need to change it.\n"
          "3. Thoughts will come: about your day, about your body, about whether you're doing "
          "this right. That is what minds do. Each time you notice a thought, name it kindly "
          "('thinking') and come back to your breath.\n"
          "4. Start with a few minutes and slowly build up to the time on your programme.\n\n"
          "Coming back to the breath, again and again, is the practice. It is not a sign that "
          "you're doing it wrong.",
      .clinician_notes =
          "Mindfulness-based approaches reduce pain catastrophizing and improve sexual "
          "wellbeing in genito-pelvic pain (e.g. mindfulness-based group work for provoked "
          "vestibulodynia). Short daily practice is better than long occasional sessions. Add a "
          "body-awareness focus once the basic practice feels safe.",
      .parameters = {kMinutes},
      .contraindications =
          {"Severe depression, active psychosis or recent trauma: introduce only with the "
           "treating psychologist or therapist."},
      .disciplines = {kSexTherapy, kPsychology},
  }));
  set.push_back(Make({
      .key = "calm-breathing-intimacy",
      .title = "Calm breathing for intimate moments",
      .discreet_title = "Calm breath",
      .category = v1::EXERCISE_CATEGORY_BREATHING,
      .patient_instructions =
          "This is a short breathing pattern for whenever you feel your body tensing up: before "
          "or during intimacy, a dilator session, a medical examination, or any moment that "
          "feels like a lot.\n\n"
          "1. Breathe in slowly through your nose for a count of four, letting your belly "
          "rise.\n"
          "2. Breathe out slowly through your mouth for a count of six, letting your shoulders, "
          "jaw and pelvic floor soften.\n"
          "3. Repeat for five breaths, or for as long as it helps.\n\n"
          "Practise it at calm times first, so your body knows it well when you need it. It is "
          "always okay to pause what you're doing, breathe, and then decide what happens next.",
      .clinician_notes =
          "Extended exhalation (about 4:6) for down-regulation: a portable skill for "
          "anticipatory anxiety. Rehearse in neutral situations before pairing it with dilator "
          "work or partnered touch. Reinforce the patient's right to pause or stop.",
      .parameters = {kReps, kMinutes},
      .contraindications =
          {"Panic attacks triggered by attending to the breath: pace with the therapist, or swap "
           "the counting for a grounding cue."},
      .disciplines = {kSexTherapy, kPhysio, kPsychology},
  }));
  set.push_back(Make({
      .key = "kegels-gentle",
      .title = "Pelvic-floor squeeze and release (Kegels), starting gently",
      .discreet_title = "Daily exercises",
      .category = v1::EXERCISE_CATEGORY_KEGELS,
      .patient_instructions =
          "These exercises help you get to know your pelvic-floor muscles: how to tighten them "
          "and, just as important, how to let them relax completely.\n\n"
          "1. Lie on your back with your knees bent, or sit comfortably. Keep breathing "
          "normally; try not to hold your breath.\n"
          "2. Gently tighten the muscles you would use to hold in wind, lifting them up and in. "
          "A light squeeze, about half your strength, is plenty.\n"
          "3. Hold for the number of seconds on your programme (often 3 to 5 to begin with).\n"
          "4. Let go completely and rest for at least as long as you held; longer is fine. "
          "Notice the muscles softening and settling back down.\n"
          "5. Repeat for the number of squeezes and sets on your programme.\n\n"
          "The letting go matters more than the squeeze. If you feel pain or cramping, or the "
          "muscles don't seem to relax afterwards, stop and mention it to your clinician: that "
          "is useful information, not a failure. Please don't practise by stopping the flow "
          "when you pass urine.",
      .clinician_notes =
          "In vaginismus and provoked pain the aim is awareness and control, above all full "
          "relaxation after each contraction, not strength. Assess resting tone first: most "
          "of these patients have an overactive (hypertonic) pelvic floor, for which "
          "strengthening alone can raise tone and pain; establish down-training and reverse "
          "Kegels first, and use contractions as contract-relax for awareness, never as "
          "strength training. Start submaximal, with rest at least equal to (ideally twice) "
          "the hold. Check technique before prescribing: no gluteal or adductor substitution, "
          "no breath-holding or bearing down. Review if pain, urgency or a sense of incomplete "
          "emptying increases.",
      .parameters = {kSets, kReps, kHold, kRest},
      .contraindications =
          {"Overactive (hypertonic) pelvic floor not yet able to relax fully after a contraction, "
           "or where contracting increases pain: prioritise down-training and reverse Kegels; "
           "do not prescribe for strength.",
           "Active urinary tract infection or an acute pelvic pain flare.",
           "Within post-operative restrictions after pelvic surgery."},
      .disciplines = {kPhysio},
  }));
  set.push_back(Make({
      .key = "reverse-kegels",
      .title = "Reverse Kegels: gentle pelvic-floor lengthening",
      .discreet_title = "Daily exercises",
      .category = v1::EXERCISE_CATEGORY_REVERSE_KEGELS,
      .patient_instructions =
          "A reverse Kegel is the opposite of a squeeze: you let your pelvic floor soften and "
          "gently lengthen downwards.\n\n"
          "1. Lie on your back with your knees bent over a pillow, or sit on a soft chair.\n"
          "2. Breathe in slowly and let your belly rise.\n"
          "3. As you breathe in, imagine the muscles between your sit bones widening and "
          "dropping gently, the way they do when you are about to pass wind, but without "
          "pushing.\n"
          "4. Keep it soft: a letting go, not a strain. Stay with the open feeling for a few "
          "breaths, or the seconds on your programme.\n"
          "5. Breathe out and let everything settle back to where it rests naturally.\n"
          "6. Repeat for the number on your programme.\n\n"
          "It can take a while to feel these muscles move, and that is normal. If you notice "
          "pain, or find yourself pushing hard, stop and ask your clinician to go over it with "
          "you.",
      .clinician_notes =
          "Teaches lengthening and relaxation of an overactive pelvic floor, paired with "
          "diaphragmatic inhalation. Cue a gentle descent, not straining or a Valsalva. Useful "
          "just before dilator insertion. Confirm technique on assessment (observation, "
          "palpation or biofeedback) with the patient's consent.",
      .parameters = {kSets, kReps, kHold, kRest},
      .contraindications =
          {"Pelvic organ prolapse or stress urinary incontinence: check technique and dose, and "
           "avoid straining.",
           "Within post-operative restrictions after pelvic or abdominal surgery."},
      .disciplines = {kPhysio},
  }));
  set.push_back(Make({
      .key = "stretch-happy-baby",
      .title = "Happy baby stretch",
      .discreet_title = "Stretch break",
      .category = v1::EXERCISE_CATEGORY_YOGA_AND_STRETCHING,
      .patient_instructions =
          "This stretch gently opens your hips and lets your pelvic floor lengthen.\n\n"
          "1. Lie on your back on a mat, rug or bed, and bring your knees towards your chest.\n"
          "2. Let your knees fall apart, wider than your body, and hold the outsides of your "
          "feet, your ankles or the backs of your thighs: whatever you can reach comfortably. A "
          "towel looped around your feet works well too.\n"
          "3. Let the soles of your feet face the ceiling and your tailbone rest heavy on the "
          "floor.\n"
          "4. Breathe slowly into your belly and let your pelvic floor soften with each breath "
          "in. You can rock gently from side to side if that feels nice.\n"
          "5. Stay for the time or number of breaths on your programme, then slowly lower your "
          "feet.\n\n"
          "Go only as far as feels comfortable. A gentle stretch is right; sharp pain is a sign "
          "to ease off.",
      .clinician_notes =
          "Hip flexion and abduction with passive pelvic-floor lengthening; pair with "
          "diaphragmatic breathing. A good position before dilator practice. Use props (a strap, "
          "a pillow under the head) when hip mobility is limited.",
      .parameters = {kHold, kReps},
      .contraindications = {"Hip replacement: check the hip precautions first.",
                            "Acute hip or low back pain.",
                            "Later pregnancy: avoid lying flat on the back for long."},
      .disciplines = {kPhysio},
  }));
  set.push_back(Make({
      .key = "stretch-childs-pose",
      .title = "Child's pose",
      .discreet_title = "Stretch break",
      .category = v1::EXERCISE_CATEGORY_YOGA_AND_STRETCHING,
      .patient_instructions =
          "Child's pose is a restful position that lets your back, hips and pelvic floor "
          "soften.\n\n"
          "1. Kneel on a mat or bed with your big toes touching and your knees apart, about as "
          "wide as your hips or wider.\n"
          "2. Sit back towards your heels and fold forward, resting your forehead on the floor, "
          "a cushion or your stacked hands. A pillow between your thighs and calves, or under "
          "your chest, can make it more comfortable.\n"
          "3. Rest your arms forward or alongside your body.\n"
          "4. Breathe slowly into your lower back and belly, and imagine each breath reaching "
          "all the way down to your pelvic floor and letting it widen.\n"
          "5. Stay as long as it feels good, or for the time on your programme.\n\n"
          "This is a resting pose: there is nothing to achieve, just a place to breathe. If "
          "your knees, hips or back hurt, ease off: add cushions, or come out of it slowly.",
      .clinician_notes =
          "Wide-knee child's pose encourages pelvic-floor lengthening with posterior rib "
          "expansion: down-training in a flexed, supported posture that many patients find "
          "calming.",
      .parameters = {kHold, kReps},
      .contraindications =
          {"Knee injury or knee replacement: support with bolsters, or choose another stretch.",
           "Later pregnancy: keep the knees wide and support the chest."},
      .disciplines = {kPhysio},
  }));
  set.push_back(Make({
      .key = "stretch-butterfly",
      .title = "Butterfly stretch",
      .discreet_title = "Stretch break",
      .category = v1::EXERCISE_CATEGORY_YOGA_AND_STRETCHING,
      .patient_instructions =
          "This stretch gently opens your inner thighs, which often tighten along with the "
          "pelvic floor.\n\n"
          "1. Sit on the floor or a folded blanket with your back tall. You can lean against a "
          "wall.\n"
          "2. Bring the soles of your feet together and let your knees drop out to the sides. "
          "Put cushions under your knees if they feel strained.\n"
          "3. Hold your ankles or rest your hands on your thighs. Don't push your knees down; "
          "let gravity and your breath do the work.\n"
          "4. Breathe slowly and notice your inner thighs and pelvic floor softening as you "
          "breathe in.\n"
          "5. Stay for the time on your programme.\n\n"
          "You can also do this lying on your back with a pillow under each knee. It is a lovely "
          "way to relax before practice. A gentle stretch is right; if you feel sharp pain, "
          "ease off.",
      .clinician_notes =
          "Adductor lengthening: adductor guarding often accompanies pelvic-floor overactivity "
          "and fear of penetration. The supported reclined version is a good position for "
          "down-training and for dilator practice.",
      .parameters = {kHold, kReps},
      .contraindications = {"Groin strain or acute hip pain.",
                            "Pelvic girdle or pubic symphysis pain: limit the range."},
      .disciplines = {kPhysio},
  }));
  set.push_back(Make({
      .key = "stretch-deep-squat",
      .title = "Supported deep squat",
      .discreet_title = "Stretch break",
      .category = v1::EXERCISE_CATEGORY_YOGA_AND_STRETCHING,
      .patient_instructions =
          "A deep squat lets your pelvic floor lengthen naturally.\n\n"
          "1. Stand with your feet a little wider than your hips, toes turned out slightly.\n"
          "2. Holding something steady, such as a sturdy chair, the edge of a bed or a door "
          "frame, slowly bend your knees and lower your hips as far as is comfortable.\n"
          "3. If your heels lift, rest them on a rolled towel. You can also sit on a low stool "
          "instead of going all the way down.\n"
          "4. Rest your elbows gently inside your knees. Breathe slowly into your belly and let "
          "your pelvic floor soften and drop with each breath in.\n"
          "5. Stay for the time on your programme, then come up slowly, using your support.\n\n"
          "Comfort comes first: a higher, supported squat works just as well. If your knees, "
          "hips or back hurt, ease off and come up slowly.",
      .clinician_notes =
          "The deep squat puts the pelvic floor on a passive stretch; with diaphragmatic "
          "inhalation it is a functional down-training position. Use a block or stool to set "
          "the depth. Also useful for practising toileting posture.",
      .parameters = {kHold, kReps},
      .contraindications = {"Knee or hip pain in deep flexion, or joint replacement precautions.",
                            "Poor balance: use a stable support or the seated version."},
      .disciplines = {kPhysio},
  }));
  set.push_back(Make({
      .key = "self-exploration-mirror",
      .title = "Getting to know your body with a mirror",
      .discreet_title = "Me time",
      .category = v1::EXERCISE_CATEGORY_SELF_EXPLORATION,
      .patient_instructions =
          "Many people have never really looked at their vulva, and it is common to feel shy, "
          "curious, uneasy or nothing much at all. All of those are okay. This exercise is "
          "simply about getting to know your own body, at your own pace.\n\n"
          "1. Choose a warm, private time when you won't be interrupted. Have a hand mirror "
          "and, if you like, a diagram of the vulva beside you.\n"
          "2. Sit comfortably with your back supported and your knees bent and apart, and hold "
          "the mirror so you can see your vulva.\n"
          "3. Look with curiosity. See if you can find the outer and inner lips, the clitoris "
          "and its hood, the urethral opening and the vaginal opening. Every vulva looks "
          "different; there is no 'normal' shape or colour.\n"
          "4. Notice any thoughts and feelings that come up, and keep breathing slowly.\n"
          "5. Stop whenever you want to. A minute or two is a good start.\n\n"
          "You might like to write down afterwards how it felt. There is no right way for it "
          "to feel.",
      .clinician_notes =
          "Visual self-exploration builds body familiarity and a sense of ownership and reduces "
          "anxiety before touch and dilator work. Provide an anatomical diagram (media link). "
          "Explore cultural and religious considerations and any trauma history; keep it "
          "optional and self-paced.",
      .parameters = {kMinutes},
      .contraindications =
          {"Marked distress or trauma symptoms when looking: pause, and build grounding skills "
           "with the treating therapist first."},
      .disciplines = {kSexTherapy, kPhysio},
  }));
  set.push_back(Make({
      .key = "self-exploration-touch",
      .title = "Gentle self-touch and exploration",
      .discreet_title = "Me time",
      .category = v1::EXERCISE_CATEGORY_SELF_EXPLORATION,
      .patient_instructions =
          "When looking feels okay, you can add gentle touch. The aim is to learn what "
          "different kinds of touch feel like, not to insert anything or to reach any "
          "particular feeling.\n\n"
          "1. Choose a relaxed, private time. Wash your hands and keep your nails short and "
          "smooth. A little water-based lubricant can make touch more comfortable.\n"
          "2. Start with a few minutes of slow belly breathing.\n"
          "3. With a fingertip, gently touch the outside of your vulva: the outer lips, the "
          "inner lips and around the vaginal opening. Try different pressures and notice what "
          "feels pleasant, neutral or uncomfortable.\n"
          "4. If you feel your muscles tighten, pause, breathe out slowly and let them soften "
          "before you carry on, or stop there for today.\n"
          "5. Only when it feels right, and if your clinician has suggested it, rest a "
          "fingertip at your vaginal opening and let your muscles soften around it. There is no "
          "need to go further.\n\n"
          "Stopping is always allowed. Every time you explore is worthwhile, however far you "
          "go.",
      .clinician_notes =
          "Graded self-touch bridges mirror work and finger or dilator insertion and reinforces "
          "the patient's control. Discuss a fingertip as a first 'dilator' where appropriate. "
          "Encourage touch-and-relax: noticing tension and releasing it with the breath.",
      .parameters = {kMinutes},
      .contraindications = {"Active vulval skin condition, infection or broken skin: treat first.",
                            kTouchTrauma},
      .disciplines = {kSexTherapy, kPhysio},
  }));
  set.push_back(Make({
      .key = "dilator-practice",
      .title = "Dilator practice",
      .discreet_title = "Practice time",
      .category = v1::EXERCISE_CATEGORY_DILATOR,
      .patient_instructions =
          "Dilator practice helps your body learn, step by step, that gentle insertion can feel "
          "safe. You set the pace and you are in charge the whole time.\n\n"
          "Before you start:\n"
          "- Choose a private, relaxed time and give yourself 15 to 20 minutes. Wash your hands, "
          "and wash the dilator in warm soapy water (or as its maker advises) and rinse it.\n"
          "- Lie on your back with your knees bent and supported by pillows, or in the position "
          "your clinician suggested.\n"
          "- Spend a few minutes on your breathing practice to help your pelvic floor soften.\n\n"
          "During practice:\n"
          "1. Put plenty of water-based lubricant on the tip of the dilator and around your "
          "vaginal opening. Avoid silicone lubricant with silicone dilators (it can damage "
          "them), and oils or petroleum jelly, which can irritate.\n"
          "2. Breathe in and let your pelvic floor soften and drop. As you breathe out, slowly "
          "guide the tip of the dilator into the opening, angled slightly down towards your "
          "lower back.\n"
          "3. Go only as far as feels okay. If you feel tightness, pause, breathe, and let your "
          "muscles soften before going further. It is fine to stop with just the tip in.\n"
          "4. Once it is in, let it rest there for the time on your programme. If your "
          "clinician suggested it, try gently tightening and relaxing around it, or small, slow "
          "movements.\n"
          "5. Take it out slowly. Wash it in warm soapy water, rinse and dry it, and keep it "
          "clean for your own use only. Take a moment to notice what went well.\n\n"
          "If strong feelings or memories come up, or you start to feel far away or panicky, it "
          "is okay to stop, take the dilator out and do something comforting. You can tell "
          "your clinician about it when you are ready.\n\n"
          "Afterwards, log how it went: the size, how long, and your pain and anxiety from 0 "
          "to 10. Mild discomfort is common. If you have sharp pain, bleeding, or pain that "
          "lasts afterwards, stop and let your clinician know. You move to the next size only "
          "when you and your clinician agree you are ready; there is no rush.",
      .clinician_notes =
          "Graded exposure with systematic desensitisation. The programme item carries the "
          "patient's dilator set, current size, minutes per session, sessions per week and the "
          "progression rules; the rules create suggestions for your review and never change the "
          "size by themselves. Teach lubrication, insertion angle, down-training before "
          "insertion and the option of resting at the introitus. Review promptly after reports "
          "of sharp pain, bleeding or pain persisting after sessions. Combine with sex therapy "
          "where anxiety and avoidance are prominent.",
      .parameters = {kMinutes},
      .contraindications =
          {"Active vaginal or vulval infection, an untreated skin condition, or unexplained "
           "bleeding.",
           "Before clearance for vaginal insertion after surgery or childbirth.",
           "After pelvic radiotherapy: follow the oncology team's dilator protocol instead.",
           kTouchTrauma},
      .disciplines = {kPhysio, kSexTherapy},
  }));
  set.push_back(Make({
      .key = "sensate-focus-non-genital",
      .title = "Sensate focus, stage 1: touch without the genitals",
      .discreet_title = "Time together",
      .category = v1::EXERCISE_CATEGORY_SENSATE_FOCUS,
      .patient_instructions =
          "Sensate focus is a way for you and your partner to enjoy touch without pressure or "
          "expectations. In this first stage, touch stays away from the breasts and genitals, "
          "and sex is off the table, so you can both relax.\n\n"
          "1. Agree a time when you both feel unhurried, somewhere warm and private. Decide who "
          "will touch first.\n"
          "2. The person touching explores their partner's body (back, arms, legs, face, hair) "
          "with their hands, out of their own curiosity: noticing temperature, texture and "
          "shape. The person being touched simply notices the sensations.\n"
          "3. The person being touched can guide their partner's hand or say 'stop' at any "
          "time, without needing to explain.\n"
          "4. After the agreed time (often 15 to 20 minutes), swap roles.\n"
          "5. Afterwards, tell each other one or two things you noticed. Keep it kind and "
          "curious.\n\n"
          "If worried thoughts pop up, bring your attention back to the feeling of touch. "
          "Feeling a bit awkward, or nothing in particular, is completely normal at first.",
      .clinician_notes =
          "Sensate focus stage 1 (Masters and Johnson): non-demand, non-genital touch. The "
          "agreed ban on intercourse and genital touch lowers performance and penetration "
          "anxiety. Explore avoidance and spectatoring in session; progress only when both "
          "partners are comfortable. The partner must respect 'stop'.",
      .parameters = {kMinutes},
      .contraindications = {kCoupleSafety, kTouchTrauma},
      .disciplines = {kSexTherapy},
  }));
  set.push_back(Make({
      .key = "sensate-focus-genital",
      .title = "Sensate focus, stage 2: including genital touch",
      .discreet_title = "Time together",
      .category = v1::EXERCISE_CATEGORY_SENSATE_FOCUS,
      .patient_instructions =
          "When stage 1 feels comfortable for you both, touch can include the breasts and "
          "genitals. There is still no goal of arousal, orgasm or sex, which stays off the "
          "table.\n\n"
          "1. Start each time as in stage 1, with touch to the rest of the body.\n"
          "2. Gradually include the breasts and genitals as part of the same exploration, not "
          "the focus of it. Use lubricant if you like.\n"
          "3. The person being touched can guide with a hand over their partner's hand, a "
          "great way to show what feels good, and can say 'stop' or 'slower' at any time.\n"
          "4. Swap roles after the agreed time, then share what you each noticed.\n\n"
          "If your body tenses, pause, breathe out slowly together, and go back to touch that "
          "felt comfortable. Arousal may or may not happen; either is okay, and it isn't the "
          "point.",
      .clinician_notes =
          "Sensate focus stage 2: genital touch, still non-demand, with the ban on intercourse "
          "kept. Hand-over-hand guiding supports communication. Stepping back to stage 1 is "
          "part of the method, not a failure; frame it that way.",
      .parameters = {kMinutes},
      .contraindications = {kCoupleSafety, kTouchTrauma},
      .disciplines = {kSexTherapy},
  }));
  set.push_back(Make({
      .key = "sensate-focus-shared",
      .title = "Sensate focus, stage 3: shared touch",
      .discreet_title = "Time together",
      .category = v1::EXERCISE_CATEGORY_SENSATE_FOCUS,
      .patient_instructions =
          "In this stage you touch each other at the same time, enjoying giving and receiving "
          "together. Sex is still not the goal.\n\n"
          "1. Begin with some relaxed touch away from the genitals.\n"
          "2. Touch each other at the same time, including the genitals when you both feel "
          "ready. Keep communicating with words, sounds or by guiding each other's hands.\n"
          "3. Only if you and your clinician have agreed it is the next step: with you in "
          "control of position and pace, your partner's penis or finger, or a dilator, may "
          "rest against or just inside your vaginal opening, without movement. Either of you "
          "can stop at any time.\n"
          "4. Finish by telling each other what you enjoyed.\n\n"
          "Going back to an earlier stage is part of the process, not a setback.",
      .clinician_notes =
          "Mutual touching, then, when agreed, containment without movement with the patient in "
          "control of depth and pace (often in a woman-above position). Progress to it only "
          "when dilator practice and stage 2 are comfortable.",
      .parameters = {kMinutes},
      .contraindications = {kCoupleSafety, kTouchTrauma},
      .disciplines = {kSexTherapy},
  }));
  set.push_back(Make({
      .key = "couples-intimacy-beyond-penetration",
      .title = "Intimacy beyond penetration",
      .discreet_title = "Time together",
      .category = v1::EXERCISE_CATEGORY_COUPLES_INTIMACY,
      .patient_instructions =
          "Intimacy is much more than penetration. This exercise invites you and your partner "
          "to discover, or rediscover, ways of being close that feel good to you both right "
          "now.\n\n"
          "1. Each of you writes a short list of things you enjoy, or would like to try, that "
          "don't involve penetration: for example cuddling, kissing, a massage, a bath together, "
          "touching each other with hands or mouths, dancing, or falling asleep holding each "
          "other.\n"
          "2. Share your lists and notice what overlaps. Either of you can cross off anything "
          "you're not ready for, with no explanation needed.\n"
          "3. Choose one thing from the overlap to try this week, at a relaxed time. Either of "
          "you can pause or stop at any time.\n"
          "4. Afterwards, tell each other one thing you enjoyed.\n\n"
          "You are not working towards some 'proper' kind of sex here: what you share is "
          "already real intimacy.",
      .clinician_notes =
          "Broadens the couple's sexual script, takes penetration out of the centre and with it "
          "much of the performance pressure, and supports relationship satisfaction while "
          "graded exposure goes on. Useful between sensate focus stages.",
      .parameters = {kMinutes},
      .contraindications = {kCoupleSafety},
      .disciplines = {kSexTherapy},
  }));
  set.push_back(Make({
      .key = "partner-communication",
      .title = "Talking together about sex and closeness",
      .discreet_title = "Talk time",
      .category = v1::EXERCISE_CATEGORY_PARTNER_COMMUNICATION,
      .patient_instructions =
          "Talking about sex can feel awkward, and many couples find it easier with a bit of "
          "structure. This exercise gives you one.\n\n"
          "1. Agree 15 to 20 minutes somewhere private when you won't be interrupted, and put "
          "your phones away.\n"
          "2. Take turns being the speaker and the listener, for about five minutes each.\n"
          "3. The speaker talks about their own feelings, starting with 'I': 'I feel...', 'I'd "
          "like...', 'I worry that...'. What you appreciate about each other is a good place to "
          "start.\n"
          "4. The listener doesn't interrupt, argue or try to fix anything. At the end they sum "
          "up what they heard ('It sounds like you...') and check they got it right.\n"
          "5. Swap roles, and finish by thanking each other.\n\n"
          "You can use a prompt from your clinician, such as 'one thing that helps me feel "
          "close to you'. If things get heated, take a break, and bring it to your next session "
          "if that would help.",
      .clinician_notes =
          "Structured speaker-listener exchange with reflective listening: reduces blame and "
          "makes it easier to talk about pain, fear and desire. Give topic prompts graded from "
          "low to higher emotional load.",
      .parameters = {kMinutes},
      .contraindications =
          {kCoupleSafety,
           "High-conflict relationship: see the couple together in session before prescribing."},
      .disciplines = {kSexTherapy, kPsychology},
  }));
  set.push_back(Make({
      .key = "education-understanding-sexual-pain",
      .title = "Understanding vaginismus and sexual pain",
      .discreet_title = "Reading",
      .category = v1::EXERCISE_CATEGORY_EDUCATION,
      .patient_instructions =
          "Understanding what is happening in your body can take away some of the fear. Take "
          "this in at your own pace.\n\n"
          "- Vaginismus and other kinds of sexual pain are common, real and treatable. They are "
          "not your fault, and they say nothing about you as a person or a partner.\n"
          "- Your pelvic-floor muscles can tighten by themselves when your body expects pain, a "
          "bit like blinking when something comes towards your eye. It is a protective reflex, "
          "not something you are choosing to do.\n"
          "- Pain, worry about pain and muscle tension can feed each other in a cycle. The "
          "exercises in your programme (breathing, relaxation, stretching and gradual practice) "
          "are there to ease that cycle, step by step.\n"
          "- Progress is rarely a straight line. Good days and harder days are both part of "
          "it.\n\n"
          "Read anything your clinician has linked here, and jot down questions to bring to "
          "your next session.",
      .clinician_notes =
          "Psychoeducation on the fear-tension-pain cycle reduces catastrophizing and supports "
          "engagement with the programme. Add the clinic's preferred patient leaflets as media "
          "links; check they suit the patient's language and reading level.",
      .parameters = {kMinutes},
      .contraindications = {},
      .disciplines = {kSexTherapy, kPhysio, kPsychology},
  }));
  set.push_back(Make({
      .key = "education-pelvic-floor",
      .title = "How your pelvic floor works",
      .discreet_title = "Reading",
      .category = v1::EXERCISE_CATEGORY_EDUCATION,
      .patient_instructions =
          "Your pelvic floor is a group of muscles that sits like a hammock at the base of your "
          "pelvis, from your pubic bone at the front to your tailbone at the back. It supports "
          "your bladder, bowel and womb, helps you stay in control when you need the toilet, "
          "and plays a part in sexual feeling.\n\n"
          "Like any muscles, these can be too tight as well as too weak. When they hold tension "
          "for a long time they can feel sore, make insertion difficult or painful, and "
          "sometimes affect going to the toilet.\n\n"
          "Your pelvic floor moves with your breath: it gently drops as you breathe in and "
          "lifts as you breathe out. That is why breathing practice is such a useful way to "
          "help it relax.\n\n"
          "Look at any diagrams your clinician has linked, and next time you practise, see if "
          "you can feel that gentle movement with your breath.",
      .clinician_notes =
          "Anatomy and function in plain words; link an anatomical diagram. Gives the reason for "
          "down-training, reverse Kegels and graded exposure before they are prescribed.",
      .parameters = {kMinutes},
      .contraindications = {},
      .disciplines = {kPhysio},
  }));
  set.push_back(Make({
      .key = "journaling-prompts",
      .title = "Journaling: feelings and small wins",
      .discreet_title = "Notes to self",
      .category = v1::EXERCISE_CATEGORY_JOURNALING,
      .patient_instructions =
          "Writing things down can help you notice feelings, patterns and progress that are "
          "easy to miss. Your journal is private: for each entry, you choose whether your "
          "care team, or a partner you share your journal with, can see it.\n\n"
          "Some prompts to start with; pick whichever speaks to you:\n"
          "- What did I practise today, and how did my body feel before and after?\n"
          "- What thoughts or worries came up? What would I say to a friend who had them?\n"
          "- What is one thing that went well this week, however small?\n"
          "- What helps me feel safe and relaxed?\n"
          "- What would I like my clinician to know?\n\n"
          "There is no right length and no wrong answer. A few words count.",
      .clinician_notes =
          "Reflective journaling supports emotional processing and brings avoidance and "
          "thinking patterns (such as catastrophizing) to sessions. Entries are private unless "
          "the patient shares them with the care team, entry by entry; never require it.",
      .parameters = {kMinutes},
      .contraindications =
          {"Writing increases rumination or distress: shorten it, or keep to the 'small wins' "
           "prompt."},
      .disciplines = {kSexTherapy, kPsychology},
  }));
  return set;
}

absl::Status SeedStarterExercises(UnitOfWork& uow, IdGenerator& ids, std::string_view clinic_id,
                                  absl::Time now, int* added) {
  const absl::Time when = StoredTime(now);
  int count = 0;
  for (const StarterExercise& starter : StarterExercises()) {
    absl::StatusOr<std::optional<ExerciseRecord>> existing =
        uow.exercises().FindByStarterKey(clinic_id, starter.key);
    if (!existing.ok()) {
      return existing.status();
    }
    if (existing->has_value()) {
      continue;
    }
    v1::Exercise first = starter.exercise;
    first.set_id(ids.NewId());
    first.set_version(1);
    first.set_starter(true);
    *first.mutable_version_create_time() = ToTimestamp(when);
    *first.mutable_create_time() = ToTimestamp(when);
    const ExerciseRecord record{.id = first.id(),
                                .clinic_id = std::string(clinic_id),
                                .latest_version = 1,
                                .title = first.title(),
                                .category = first.category(),
                                .archived = false,
                                .starter_key = std::string(starter.key),
                                .create_time = when};
    absl::Status stored = uow.Atomically([&]() -> absl::Status {
      if (absl::Status s = uow.exercises().Insert(record, ""); !s.ok()) {
        return s;
      }
      return StoreExerciseVersion(uow, clinic_id, first);
    });
    if (stored.code() == absl::StatusCode::kAlreadyExists) {
      // A concurrent seed of the same clinic added it first: it is there, which is the point.
      continue;
    }
    if (!stored.ok()) {
      return stored;
    }
    ++count;
  }
  if (added != nullptr) {
    *added = count;
  }
  return absl::OkStatus();
}

}  // namespace confide
