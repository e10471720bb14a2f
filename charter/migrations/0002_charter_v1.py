"""Version 1 of the charter: the ENT charter of the real school's tutorial this portal
reproduces, as printed there, including its gap (« […] ») where the tutorial skips part of
the text."""

from django.db import migrations
from django.utils import timezone

TITLE = "Charte d'utilisation de l'ENT"

BODY = """\
### Charte d'utilisation de l'espace numérique de travail

ENTRE :

- Le collège ou le lycée
- Représenté par son chef d'établissement
- Ci-après dénommé "l'établissement"
- D'UNE PART
- ET
- toute personne utilisant les outils et services de L'ESPACE NUMERIQUE DE TRAVAIL, [dit aussi ENT] mis à disposition par l'établissement, dans le cadre des activités éducatives, à l'intérieur ou hors de l'établissement.
- Ci-après dénommé "l'utilisateur", élèves, parents d'élèves, tous les personnels de l'Éducation Nationale, les intervenants extérieurs (collectivités, tuteurs de stage ou maîtres d'apprentissage, responsable d'entreprise, etc...)
- D'AUTRE PART
- PRÉSENTÉS

La fourniture des services liés aux technologies de l'information et de la communication s'inscrit dans la mission de service public de l'Éducation Nationale et notamment dans le Programme d'Action Gouvernemental vers la Société de l'Information (R.A.G.S.I). Elle répond à un objectif pédagogique et éducatif tel qu'il est notamment défini dans le code de l'Éducation et dans la partie législative par l'Ordonnance n°2000-548 du 19 juin 2000 - [L.O. n° 143 du 22 juin 2000 - page 9346 - <http://www.admnet.com/legif>]

Cette offre de services vise à renforcer la formation scolaire et l'action éducative en mettant à disposition des utilisateurs de l'établissement scolaire ou de lycée, signataires des présentes, un espace numérique de travail favorisant notamment le travail coopératif, dans le souci d'une amélioration de la communication entre tous les acteurs de la communauté scolaire pour l'épanouissement et la réussite de tous les élèves.

L'espace numérique de travail désigne un portail internet éducatif permettant à chaque membre de la communauté éducative d'un établissement scolaire, d'accéder, via un point d'entrée unique et sécurisé, à un bouquet de services numériques en relation avec ses activités.

La Charte définit les conditions générales d'utilisation des outils et services numériques de l'ENT mis à disposition par l'établissement en rappelant l'application du droit et en précisant le cadre légal afin de sensibiliser et de responsabiliser l'utilisateur.

L'utilisateur de l'ENT s'engage à lire les conditions générales d'utilisation.

La Charte précise les droits et obligations que les responsables de l'ENT et l'utilisateur s'engagent à respecter et notamment les conditions et les limites des événements contrôlés portant sur l'utilisation des services proposés.

### Il est tout d'abord rappelé la nécessité de respecter la législation

[…]

- les étudiants, en ce qui concerne leurs informations personnelles ;
- les enseignants-chercheurs, les chercheurs et les enseignants (locaux ou extérieurs), en ce qui concerne la formation de leurs étudiants et leurs travaux de recherche ;
- les personnels autres que les personnels enseignants, en ce qui concerne leurs fonctions dans l'établissement ;
- = les représentants des collectivités territoriales dans les instances délibératives de l'établissement, en ce qui concerne leur mandat.

Art. 6. - Établissement à la mise en œuvre du traitement mentionné à l'article 1er, le responsable de l'ENT informe, dans les conditions définies à l'article 22 de la loi du 6 janvier 1978 susvisée, les responsables légaux des élèves mineurs, les élèves majeurs et les étudiants, ainsi que tous les autres utilisateurs, de la collecte et de la destination des données à caractère personnel les concernant.

Les droits d'opposition et de rectification des personnes à l'égard des traitements des données à caractère personnel prévus par les articles 23 à 40 de la loi du 6 janvier 1978 susvisée, s'exercent soit par voie postale, soit par voie électronique auprès du responsable de l'ENT pour les écoles et les établissements mentionnés à l'article 1er.

Art. 6. - Les données à caractère personnel traitées dans le cadre d'un compte ENT sont mises à jour au début de chaque année scolaire ou universitaire et, en tout état de cause, sont supprimées de l'ENT dans un délai de trois mois dès lors que la personne concernée n'a plus vocation à obtenir un compte.

Les contributions personnelles déposées dans les espaces communautaires et espaces de stockage d'informations personnelles ou de publication ne pourront, sauf opposition du contributeur lors de la fermeture de son compte ENT, être consultées par l'établissement qu'à des fins informatives, pédagogiques ou scientifiques dans les conditions fixées à l'article 36 de la loi du 6 janvier 1978 susvisée.

Art. 7. - La mise en œuvre du traitement mentionné à l'article 1er par chaque responsable des écoles, des CPL et des établissements d'enseignement supérieur précités est subordonnée à l'avis préalable à la Commission nationale de l'informatique et des libertés, en application du II de l'article 27 de la loi du 6 janvier 1978 susvisée, d'un engagement de conformité au présent arrêté.

Cette formalité s'engage à respecter la finalité et les modalités du droit d'accès prévues dans le cadre de l'ENT ainsi que le « schéma directeur des espaces numériques de travail » et ses annexes élaborés par le ministère de l'éducation nationale, de l'enseignement supérieur et de la recherche.

Art. 8. - Le présent arrêté, qui fait l'objet d'un affichage dans les établissements concernés, est consultable par chaque utilisateur à partir de la page d'accueil de l'ENT.

Art. 9. - Le secrétaire général est chargé de l'exécution du présent arrêté, qui sera publié au journal officiel de la République française.

Fait à Paris, le 30 novembre 2006.

Pour le ministre et par délégation :

Le secrétaire général,

D. ANTOINE
"""


def publish_v1(apps, schema_editor):
    Charter = apps.get_model("charter", "Charter")
    if not Charter.objects.filter(version=1).exists():
        Charter.objects.create(version=1, title=TITLE, body=BODY, published_at=timezone.now())


def remove_v1(apps, schema_editor):
    apps.get_model("charter", "Charter").objects.filter(version=1, acceptances=None).delete()


class Migration(migrations.Migration):
    dependencies = [("charter", "0001_initial")]

    operations = [migrations.RunPython(publish_v1, remove_v1)]
